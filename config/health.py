"""/healthz/: can this app server serve buyers, and what is degraded?

The load balancer and the monitoring poll it. It answers JSON, one entry per component
with `status` ("ok" or "error"), `latency_ms` and `fatal`, and an overall status:

- database (fatal): every page, search on the embedded engine and every form reads it.
- cache (degraded): Wagtail's site routes and the buyer forms' rate limits live there; with
  Redis down, config.cache.DegradableRedisCache answers "not cached", pages are computed
  again and the rate limits fail open (docs/deploy.md, "Faults").
- search (degraded): the Elasticsearch cluster down, the site answers from the embedded
  engine (search.engines.FallbackEngine); the embedded engine is the database.
- storage (degraded): pages still render with the pictures already stored (their
  addresses need no call to the storage); uploads and new picture sizes fail.
- tasks (degraded): with the database backend, the age of the oldest task waiting to
  run; past TASK_MAX_WAIT the worker (`db_worker`) is down or behind, and e-mails wait
  (send_pending_notifications retries them). Other backends are reported by name.

200 with "ok" or "degraded" while no fatal component fails, 503 "unavailable" otherwise.
It never answers 500: every probe is caught, and the ones that may hang on a network
(cache, search, storage) run in a small thread pool and are given up after
PROBE_TIMEOUT. The database probes run in the request's own thread (its connection, its
transaction) bounded by PostgreSQL's statement_timeout; a database that does not answer
a connection is bounded by `connect_timeout` in DATABASE_URL (docs/deploy.md).
No cookies, `Cache-Control: no-store`: a caching proxy must never keep an answer.
"""

import concurrent.futures
import time
import uuid

from django_tasks_db.models import DBTaskResult

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from catalogue.page_tree import without_page_tree
from search.engines import get_engine
from search.models import SearchEntry

PROBE_TIMEOUT = 2.0  # seconds per network probe; a load balancer typically waits 5
TASK_MAX_WAIT = 300  # seconds a ready task may wait before the queue counts as stuck
DATABASE_TASKS = "django_tasks_db.DatabaseBackend"

# Shared by every request: a probe that hangs holds one thread until its own library
# timeout, and later probes queue behind it and are reported as timed out, never more threads.
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def _timed(probe, **known):
    """{status, latency_ms, …}: what is `known` beforehand (the backend), then the probe's own
    details or its error, never an exception."""
    started = time.monotonic()
    try:
        details = probe() or {}
        result = {"status": "error" if details.pop("failed", False) else "ok", **known, **details}
    except Exception as error:  # noqa: BLE001 - a health check reports every failure, whatever its kind
        result = {"status": "error", **known, "error": f"{type(error).__name__}: {error}"[:300]}
    result["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def _bound_statements():
    """Within this transaction, PostgreSQL gives up on a statement after PROBE_TIMEOUT. Through
    set_config(), since SET takes no parameter where they are sent apart (server-side binding)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(int(PROBE_TIMEOUT * 1000))])


def probe_database():
    with transaction.atomic():
        _bound_statements()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def probe_cache():
    cache = caches["default"]
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    # The degradable cache swallows Redis errors (pages go on); it keeps the last one for us.
    error = getattr(cache, "last_error", "")
    return {"failed": found != "1", **({"error": error} if error else {})}


def probe_storage():
    # A name of its own each time: two app servers probing at once never delete each other's file.
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as probe:
            read = probe.read()
    finally:
        default_storage.delete(name)
    return {"failed": read != b"ok"}


def probe_search(engine):
    primary = getattr(engine, "primary", None)
    if primary is None:  # the embedded engine: the database's own tables
        SearchEntry.objects.exists()
        return {"engine": engine.name}
    health = primary.es.options(request_timeout=PROBE_TIMEOUT).cluster.health()
    return {
        "cluster": health.get("status"),
        "failed": health.get("status") not in {"green", "yellow"},
    }


def probe_tasks():
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != DATABASE_TASKS:
        return {}
    now = timezone.now()
    with transaction.atomic():
        _bound_statements()
        ready = DBTaskResult.objects.ready()
        # A task is due from its run_after when it was deferred, else from when it was enqueued.
        deferred = ready.filter(run_after__lte=now).order_by("run_after").values_list("run_after", flat=True)
        at_once = ready.exclude(run_after__lte=now).order_by("enqueued_at").values_list("enqueued_at", flat=True)
        oldest = min((moment for moment in (deferred.first(), at_once.first()) if moment is not None), default=None)
        waiting = ready.count()
    age = round((now - oldest).total_seconds(), 1) if oldest else 0
    return {
        "ready": waiting,
        "oldest_ready_seconds": age,
        "max_wait_seconds": TASK_MAX_WAIT,
        "failed": age > TASK_MAX_WAIT,
    }


def _in_pool(futures, name):
    try:
        return futures[name].result(timeout=PROBE_TIMEOUT)
    except concurrent.futures.TimeoutError:
        return {"status": "error", "error": "timeout", "latency_ms": PROBE_TIMEOUT * 1000}


FATAL = {"database"}


def check():
    """(HTTP status, body) of the health answer."""
    database = _timed(probe_database, vendor=connection.vendor)
    engine = _timed(lambda: {"engine": get_engine()})  # building the client may fail on a bad URL
    futures = {
        "cache": _pool.submit(_timed, probe_cache, backend=settings.CACHES["default"]["BACKEND"]),
        "storage": _pool.submit(_timed, probe_storage, backend=settings.STORAGES["default"]["BACKEND"]),
    }
    if engine["status"] == "ok" and hasattr(engine["engine"], "primary"):
        primary = engine["engine"].primary
        known = {"engine": primary.name, "fallback": engine["engine"].fallback.name}
        futures["search"] = _pool.submit(_timed, lambda: probe_search(engine["engine"]), **known)
    components = {"database": database}
    components["cache"] = _in_pool(futures, "cache")
    if engine["status"] != "ok":
        components["search"] = engine
    elif "search" in futures:
        components["search"] = _in_pool(futures, "search")
    else:  # embedded: it reads the database, in this thread
        components["search"] = _timed(lambda: probe_search(engine["engine"]))
    components["storage"] = _in_pool(futures, "storage")
    components["tasks"] = _timed(probe_tasks, backend=settings.TASKS["default"]["BACKEND"])
    for name, result in components.items():
        result["fatal"] = name in FATAL
    failed = {name for name, result in components.items() if result["status"] != "ok"}
    if failed & FATAL:
        status, code = "unavailable", 503
    elif failed:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return code, {"status": status, "components": components}


@without_page_tree  # it probes the cache itself, within its own time limit
@never_cache
def healthz(request):
    try:
        code, body = check()
    except Exception as error:  # noqa: BLE001 - never a 500 page: the balancer reads this answer
        code, body = 503, {"status": "unavailable", "error": f"{type(error).__name__}: {error}"[:300]}
    return JsonResponse(body, status=code)
