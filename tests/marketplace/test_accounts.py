"""The agency invites a producer; the producer sets a password; accounts are deactivated, not deleted."""

import re

import pytest

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from catalogue.models import ProducerMembership

pytestmark = pytest.mark.django_db


def invite(client, agency, producer, email="chi.hoa@cuakhe.vn"):
    client.force_login(agency)
    return client.post(
        reverse("marketplace_producer_accounts"),
        {"email": email, "first_name": "Hoa", "last_name": "Lê", "producer": producer.pk},
    )


def test_invitation_email_and_set_password_link(client, agency, producer_a, page_a):
    response = invite(client, agency, producer_a)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="chi.hoa@cuakhe.vn")
    assert not user.has_usable_password()
    assert ProducerMembership.objects.get(user=user).producer == producer_a

    (message,) = mail.outbox
    assert message.to == ["chi.hoa@cuakhe.vn"]
    assert producer_a.name in message.subject
    link = re.search(r"http://testserver(/admin/password_reset/confirm/\S+)", message.body).group(1)

    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(set_url, {"new_password1": "Nuoc-mam-35-do", "new_password2": "Nuoc-mam-35-do"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nuoc-mam-35-do")

    # The link works once.
    assert "new_password1" not in client.get(link, follow=True).content.decode()

    assert client.login(username="chi.hoa@cuakhe.vn", password="Nuoc-mam-35-do")
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page_a.pk])).status_code == 200


def test_login_page_accepts_the_new_account(client, agency, producer_a):
    invite(client, agency, producer_a)
    user = get_user_model().objects.get(email="chi.hoa@cuakhe.vn")
    user.set_password("Nuoc-mam-35-do")
    user.save()
    client.logout()
    response = client.post(reverse("wagtailadmin_login"), {"username": user.email, "password": "Nuoc-mam-35-do"})
    assert response.status_code == 302 and response.url == "/admin/"


def test_inviting_again_reuses_the_account(client, agency, producer_a, producer_b):
    invite(client, agency, producer_a)
    invite(client, agency, producer_b)
    user = get_user_model().objects.get(email="chi.hoa@cuakhe.vn")
    assert set(user.producer_memberships.values_list("producer__name", flat=True)) == {
        producer_a.name,
        producer_b.name,
    }
    assert len(mail.outbox) == 2


def test_agency_addresses_cannot_be_invited_as_producers(client, agency, producer_a):
    response = invite(client, agency, producer_a, email=agency.email)
    assert response.status_code == 200
    assert "belongs to an agency account" in response.content.decode()
    assert not mail.outbox


def test_deactivating_keeps_the_content(client, agency, user_a, page_a):
    page_a.owner = user_a
    page_a.save()
    page_a.save_revision(user=user_a)
    client.force_login(agency)
    accounts = client.get(reverse("marketplace_producer_accounts")).content.decode()
    assert user_a.email in accounts
    client.post(reverse("marketplace_set_account_active", args=[user_a.pk]), {"active": "0"})
    user_a.refresh_from_db()
    assert not user_a.is_active
    assert not client.login(username=user_a.username, password="correct horse battery")
    page_a.refresh_from_db()
    assert page_a.owner == user_a and page_a.get_latest_revision().user == user_a
    assert ProducerMembership.objects.filter(user=user_a).exists()

    client.force_login(agency)
    client.post(reverse("marketplace_set_account_active", args=[user_a.pk]), {"active": "1"})
    assert client.login(username=user_a.username, password="correct horse battery")


def test_agency_accounts_cannot_be_deactivated_here(client, agency):
    client.force_login(agency)
    response = client.post(reverse("marketplace_set_account_active", args=[agency.pk]), {"active": "0"})
    assert response.status_code == 404
