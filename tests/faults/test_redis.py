"""Redis (the shared cache) stopped while buyers browse and send forms: pages are still served,
/healthz/ says degraded (200), and the buyer forms' rate limits fail open (accepted, not refused,
never a 500), as docs/deploy.md states. A real redis-server on a free port, then stopped."""

import shutil

import pytest

from django.core.cache import caches
from django.test import Client

from marketplace.inquiries.models import Inquiry
from tests.faults.conftest import Server, free_port
from tests.marketplace.inquiry_helpers import product_form, product_url

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server missing: make stack-deps"),
]


@pytest.fixture
def redis_cache(settings):
    port = free_port()
    server = Server(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                    port).start()  # fmt: skip
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.DegradableRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    settings.RATELIMIT_FAIL_OPEN = True  # production's choice (config/settings/production.py)
    settings.INQUIRY_RATE_PER_IP = "2/h"
    try:
        yield server
    finally:
        server.stop()


def send(page, n):
    return Client(headers={"accept-language": "en"}).post(product_url(page), product_form(email=f"b{n}@example.de"))


def test_pages_and_forms_are_served_while_redis_is_down(redis_cache, page_a):
    cache = caches["default"]
    # Redis up: pages served, the rate limit counts there (two sends, the third refused).
    assert Client().get("/vi/").status_code == 200
    assert Client().get(page_a.url).status_code == 200
    assert [send(page_a, n).status_code for n in range(3)] == [302, 302, 429]
    cache.set("probe", "1")
    assert cache.get("probe") == "1"

    redis_cache.stop()
    # Redis down: the same pages, a buyer's form accepted (fail open), health degraded, no 500.
    assert Client().get("/vi/").status_code == 200
    assert Client().get(page_a.url).status_code == 200
    assert Client().get("/en/search/?q=mam").status_code == 200
    assert send(page_a, 3).status_code == 302
    assert Inquiry.objects.count() == 3
    health = Client().get("/healthz/")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "degraded" and body["components"]["cache"]["status"] == "error"
    assert cache.get("probe") is None  # a miss, not an exception
