"""Production settings and account protection: deploy checks, CSP, login throttling."""

import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt

from django.contrib.auth import get_user_model
from django.core.cache import cache

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 60 + "-production-like-secret-for-the-check-only",
    "WAGTAILADMIN_BASE_URL": "https://ocop.example.vn",
    "ALLOWED_HOSTS": "ocop.example.vn",
    "REDIS_URL": "redis://127.0.0.1:6379/7",
}


def test_deploy_check_with_production_settings_is_clean():
    result = _manage("check", "--deploy", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_admin_base_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "WAGTAILADMIN_BASE_URL"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL must be set" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr


def test_production_hsts_is_a_year_with_subdomains():
    result = _manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)",
        **PRODUCTION_ENV,
    )
    assert result.stdout.split() == ["31536000", "True"], result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client, site_tree):
    policy = client.get("/vi/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    cache.clear()
    user = get_user_model().objects.create_user("officer@agency.gov.vn", "officer@agency.gov.vn", "Right-pass-2026")
    user.is_staff = True
    user.save()
    from django.contrib.auth.models import Permission

    from wagtail.models import Page  # noqa: F401  (admin access comes from the permission below)

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def _log_in(client, password, username="officer@agency.gov.vn"):
    return client.post("/admin/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_from_that_address(client, throttled, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _log_in(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = _log_in(client, "wrong")
    assert locked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in locked.content.decode()
    # Now even the right password is refused until the cool-off ends.
    again = _log_in(client, "Right-pass-2026")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, throttled, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "wrong")
    assert _log_in(client, "Right-pass-2026").status_code == 429
    # Age the recorded failures past the cool-off period.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - settings.AXES_COOLOFF_TIME * 2
    )
    response = _log_in(client, "Right-pass-2026")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(throttled.pk)


@pytest.mark.django_db
def test_another_account_is_not_locked_by_someone_elses_failures(client, throttled, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, "wrong", username="someone@else.vn")
    assert _log_in(client, "Right-pass-2026").status_code == 302


@pytest.mark.django_db
def test_only_the_admin_allows_inline_scripts(client, site_tree):
    admin_policy = client.get("/admin/login/").headers["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin_policy.split("script-src", 1)[1].split(";", 1)[0]
