"""/healthz/: JSON per component, 200 while buyers can be served (degraded or not), 503 when not.

Broken components are real ones: Elasticsearch and Redis at a closed port on this machine,
Redis at a port that accepts connections and never answers, storage on a path that cannot
be a directory, a task waiting in the database queue with no worker.
"""

import datetime
import socket
import time

import pytest
import redis
from django_tasks_db.models import DBTaskResult

from django.test import Client, override_settings
from django.utils import timezone

from marketplace.outbox.sending import send_outbox_email

pytestmark = pytest.mark.django_db

COMPONENTS = {"database", "cache", "search", "storage", "tasks"}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def closed_port():
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_at(port, backend="django.core.cache.backends.redis.RedisCache"):
    return {"default": {"BACKEND": backend, "LOCATION": f"redis://127.0.0.1:{port}/0"}}


def health(client=None):
    response = (client or Client()).get("/healthz/")
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def test_all_components_ok_no_cookie_no_store():
    client = Client()
    response, body = health(client)
    assert response.status_code == 200
    assert body["status"] == "ok", body
    assert set(body["components"]) == COMPONENTS
    for name, component in body["components"].items():
        assert component["status"] == "ok", (name, component)
        assert isinstance(component["latency_ms"], float) and component["latency_ms"] >= 0
    assert body["components"]["database"]["fatal"] and not body["components"]["search"]["fatal"]
    assert body["components"]["search"]["engine"] == "embedded"
    assert "ImmediateBackend" in body["components"]["tasks"]["backend"]
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies and not client.cookies


def test_not_under_the_language_prefix():
    response = Client(headers={"accept-language": "en"}).get("/healthz/")
    assert response.status_code == 200  # no redirect to /en/healthz/
    assert Client().get("/vi/healthz/").status_code == 404


@override_settings(SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL=f"http://127.0.0.1:{closed_port()}")
def test_search_cluster_down_is_degraded_not_fatal():
    response, body = health()
    assert response.status_code == 200
    assert body["status"] == "degraded"
    search = body["components"]["search"]
    assert search["status"] == "error" and search["engine"] == "elasticsearch" and not search["fatal"]
    assert "error" in search
    assert body["components"]["database"]["status"] == "ok"


def test_storage_that_cannot_write_is_degraded(tmp_path):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("x")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": not_a_directory}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        response, body = health()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["components"]["storage"]["status"] == "error"


def test_cache_down_is_degraded_and_pages_are_still_served(site_tree):
    with override_settings(CACHES=redis_at(closed_port(), "config.cache.DegradableRedisCache")):
        response, body = health()
        assert response.status_code == 200
        assert body["status"] == "degraded"
        cache = body["components"]["cache"]
        assert cache["status"] == "error" and not cache["fatal"]
        assert "ConnectionError" in cache["error"]
        assert body["components"]["database"]["status"] == "ok"
        # Why it is not fatal: Wagtail routes the home page without its cached routes.
        assert Client().get("/vi/").status_code == 200


def test_django_redis_cache_alone_would_fail_every_page(site_tree):
    # What config.cache.DegradableRedisCache is for: Django's own backend raises on every page.
    with override_settings(CACHES=redis_at(closed_port())), pytest.raises(redis.exceptions.ConnectionError):
        Client().get("/vi/")


def test_a_cache_that_never_answers_is_given_up_within_the_timeout():
    # Listening, so connecting succeeds, but nobody ever reads or answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        with override_settings(CACHES=redis_at(silent.getsockname()[1])):
            started = time.monotonic()
            response, body = health()
            elapsed = time.monotonic() - started
    assert response.status_code == 200 and body["status"] == "degraded"
    assert body["components"]["cache"] == {"status": "error", "error": "timeout", "latency_ms": 2000.0, "fatal": False}
    assert elapsed < 4


@override_settings(TASKS=DATABASE_TASKS)
def test_task_queue_reports_the_oldest_waiting_task():
    _response, body = health()
    tasks = body["components"]["tasks"]
    assert tasks["status"] == "ok" and tasks["ready"] == 0 and tasks["oldest_ready_seconds"] == 0

    send_outbox_email.enqueue("inquiry", 1)
    _response, body = health()
    assert body["components"]["tasks"]["ready"] == 1
    assert body["components"]["tasks"]["status"] == "ok"  # just enqueued: the worker has time

    # No worker has taken it for ten minutes: the queue is stuck, the site still serves.
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=10))
    response, body = health()
    tasks = body["components"]["tasks"]
    assert response.status_code == 200 and body["status"] == "degraded"
    assert tasks["status"] == "error" and 590 < tasks["oldest_ready_seconds"] < 700
