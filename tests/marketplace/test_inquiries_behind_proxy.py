"""Buyer forms behind the proxy: each buyer counted by its own address, across every worker.

The fast tests use Django's test client with X-Forwarded-For, as the proxy sends it. The
deployment test starts two gunicorn processes with production settings, one Redis database
of its own and the PostgreSQL test database, and sends them the requests alternately.
"""

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
import redis

from django.db import connection
from django.test import Client

from marketplace.inquiries.models import Inquiry
from tests.marketplace.inquiry_helpers import product_form, product_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
TIMEOUT = 20


def _post(page, forwarded, email, **form):
    client = Client(headers={"accept-language": "en"})
    return client.post(product_url(page), product_form(email=email, **form), HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.django_db
def test_buyers_behind_the_proxy_each_have_their_own_budget(page_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.INQUIRY_RATE_PER_IP = "2/h"
    # Five buyers, all arriving from the proxy at 127.0.0.1.
    for n in range(5):
        assert _post(page_a, f"203.0.113.{n}", f"buyer{n}@example.de").status_code == 302
    assert Inquiry.objects.count() == 5


@pytest.mark.django_db
def test_a_forged_forwarded_prefix_does_not_give_a_new_budget(page_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.INQUIRY_RATE_PER_IP = "2/h"
    for n in range(2):
        assert _post(page_a, f"198.51.100.{n}, 203.0.113.9", f"buyer{n}@example.de").status_code == 302
    refused = _post(page_a, "198.51.100.77, 203.0.113.9", "other@example.de")
    assert refused.status_code == 429
    assert Inquiry.objects.count() == 2


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url():
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "postgres")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def _servers(count, env):
    """`count` gunicorn processes of one worker each, on their own ports; stopped afterwards."""
    ports = [_free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn, fixed arguments)
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + TIMEOUT
        for port, process in zip(ports, processes, strict=True):
            while True:
                assert process.poll() is None, "gunicorn stopped before it answered"
                assert time.monotonic() < deadline, f"gunicorn did not answer within {TIMEOUT} s"
                with contextlib.suppress(OSError):
                    _request(port, "GET", "/robots.txt")
                    break
                time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_production_workers_count_each_buyer_in_the_shared_cache(page_a, settings, tmp_path):
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        # The same key as this process, so the form's signed fill-time stamp made here is valid there.
        "SECRET_KEY": settings.SECRET_KEY,
        "WAGTAILADMIN_BASE_URL": "https://ocop.example.vn",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "INQUIRY_RATE_PER_IP": "3/h",
        "LOG_LEVEL": "WARNING",
        # Production pages name hashed static files: the refusal page needs the manifest.
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120
    )
    csrf = secrets.token_hex(16)

    def send(port, forwarded, email):
        body = urllib.parse.urlencode({**product_form(email=email), "csrfmiddlewaretoken": csrf})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "X-Forwarded-For": forwarded,
            "Accept-Language": "en",
        }
        return _request(port, "POST", product_url(page_a), body, headers)

    try:
        with _servers(2, env) as ports:
            # Eight buyers, each with its own address, spread over both workers: every one is stored.
            answers = [send(ports[n % 2], f"203.0.113.{n + 1}", f"buyer{n}@example.de") for n in range(8)]
            assert answers == [302] * 8
            # One buyer, forging a new prefix each time, over both workers: three, then refused.
            answers = [send(ports[n % 2], f"198.51.100.{n}, 192.0.2.50", f"one{n}@example.de") for n in range(4)]
            assert answers == [302, 302, 302, 429]
        assert Inquiry.objects.count() == 11
    finally:
        store.flushdb()
