"""CPU, queries and Python calls of one uncached render of the main public pages, in-process.

    DATABASE_URL=sqlite:////tmp/h22p.sqlite3 STATIC_ROOT=/tmp/static \\
        python -m tests.bench.render_cpu [home,search,product,producer,certification,fair] [--rounds 5 --requests 10]

Production settings (DEBUG off, cached template loaders, the Redis cache at REDIS_URL, default
redis://127.0.0.1:6379/7) on a database that already holds the demo (`load_demo`) and static files
already collected into STATIC_ROOT (`collectstatic`: the manifest storage needs them). Each page is
requested through Django's test client after three warm-up requests; CPU is the least
`time.process_time` per request over the rounds, which a loaded machine disturbs far less than
wall-clock time. The count of Python calls (cProfile) does not depend on the load at all: compare
that one between two versions.
"""

import argparse
import cProfile
import os
import pstats
import time

DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "bench-only-" + "x" * 40,
    "WAGTAILADMIN_BASE_URL": "http://localhost",
    "REDIS_URL": "redis://127.0.0.1:6379/7",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "localhost,testserver",
    "LOG_LEVEL": "WARNING",
}
PAGES = "home,search,product,producer,certification,fair"


def measure(client, path, rounds, requests):
    """(least CPU ms per request, queries, Python calls per request) for `path`."""
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    best = min(_cpu(client, path, requests) for _ in range(rounds))
    profile = cProfile.Profile()
    profile.enable()
    client.get(path)
    profile.disable()
    return best, len(queries), pstats.Stats(profile).total_calls


def _cpu(client, path, requests):
    started = time.process_time()
    for _ in range(requests):
        client.get(path)
    return (time.process_time() - started) / requests * 1000


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="?", default=PAGES)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=10)
    arguments = parser.parse_args()
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    # Django and the page tour only once the environment names the production settings.
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from tests.page_tour import main_pages

    addresses = dict(main_pages("vi"))
    client = Client(HTTP_HOST="localhost")
    print(f"{'page':14s} {'CPU ms':>7s} {'queries':>7s} {'calls':>8s}  address")
    for name in arguments.pages.split(","):
        cpu, queries, calls = measure(client, addresses[name], arguments.rounds, arguments.requests)
        print(f"{name:14s} {cpu:7.1f} {queries:7d} {calls:8d}  {addresses[name]}")
