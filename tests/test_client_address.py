"""The client's address behind proxies: the rule itself, login lockouts by account and address."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client, RequestFactory

from config.client_address import client_address


def _address(forwarded=None, peer="10.0.0.1"):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


def test_with_no_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert _address("203.0.113.5", peer="198.51.100.7") == "198.51.100.7"


def test_one_proxy_takes_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _address("203.0.113.5") == "203.0.113.5"
    # Whatever the client put in front is its own claim: the same client whatever it forges.
    assert _address("6.6.6.6, 203.0.113.5") == "203.0.113.5"
    assert _address("1.1.1.1, 2.2.2.2, 203.0.113.5") == "203.0.113.5"


def test_two_proxies_take_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert _address("6.6.6.6, 203.0.113.5, 10.0.0.2") == "203.0.113.5"
    assert _address("203.0.113.5, 10.0.0.2") == "203.0.113.5"


def test_a_request_without_the_header_or_with_garbage_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _address() == "10.0.0.1"
    assert _address("not an address") == "10.0.0.1"
    assert _address("") == "10.0.0.1"
    assert _address(peer="") == "0.0.0.0"  # noqa: S104 (a Unix socket: one bucket, not a 500)


def test_ipv6_clients_are_read_too(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _address("6.6.6.6, 2001:db8::5") == "2001:db8::5"


@pytest.fixture
def officer(settings):
    settings.AXES_ENABLED = True
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    user = get_user_model().objects.create_user("officer@agency.gov.vn", "officer@agency.gov.vn", "Right-pass-2026")
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def _log_in(client, password, forwarded):
    return client.post(
        "/admin/login/",
        {"username": "officer@agency.gov.vn", "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_a_stranger_cannot_lock_an_officer_out_from_behind_the_proxy(client, officer, settings):
    # Every request comes from the proxy (127.0.0.1); only X-Forwarded-For tells the clients apart.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "wrong", forwarded=f"198.51.100.{n}, 203.0.113.66")
    assert _log_in(client, "Right-pass-2026", forwarded="203.0.113.66").status_code == 429

    officer_browser = Client()
    response = _log_in(officer_browser, "Right-pass-2026", forwarded="203.0.113.10")
    assert response.status_code == 302
    assert officer_browser.session["_auth_user_id"] == str(officer.pk)
    # The attacker's address stays locked, whatever it forges in front.
    assert _log_in(client, "Right-pass-2026", forwarded="192.0.2.1, 203.0.113.66").status_code == 429
