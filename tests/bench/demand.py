"""make bench-demand: what demand recording costs per request (a search, the page-view beacon).

    python -m tests.bench.demand [--database URL] [--requests 300]

Runs in this process through Django's whole request cycle (middleware, view, template, and
`request_finished`, where a search is written) on an already migrated database (make
bench-demand recreates and migrates a scratch one; never the site's own). It seeds one visible
product if none is there, then times searches (each with new words, so nothing is reused)
and beacon POSTs, alternating recording on and off (settings.DEMAND_RECORDING), and prints the
median and 95th percentile of each and the difference: the cost of recording per request.
"""

import argparse
import os
import statistics
import sys
import time

DEFAULT_DATABASE = "sqlite:////tmp/ocop-bench-demand.sqlite3"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
WORDS = ["nuoc mam", "mat ong", "che", "ca phe", "gao", "honey", "fish sauce", "tea", "coffee", "rice"]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(call):
    start = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code >= 400:
        raise SystemExit(f"{response.status_code} from the benchmark request")
    return elapsed


def run(requests):
    from django.conf import settings
    from django.test import Client

    from catalogue.models import ProductPage
    from marketplace.demand.models import PageViewDay, SearchEvent
    from tests.bench.inquiries import seed

    product = ProductPage.objects.visible().order_by("pk").first() or seed()
    client = Client(HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="en")
    client.get("/en/search/", {"q": "warm up"})  # the first request loads templates and the index
    timings = {(kind, on): [] for kind in ("search", "beacon") for on in (True, False)}
    searches_before, views_before = SearchEvent.objects.count(), PageViewDay.objects.count()
    for n in range(requests):
        for on in (n % 2 == 0, n % 2 == 1):  # alternate which goes first
            settings.DEMAND_RECORDING = on
            query = f"{WORDS[n % len(WORDS)]} {n} {int(on)}"
            timings[("search", on)].append(timed(lambda q=query: client.get("/en/search/", {"q": q})))
            timings[("beacon", on)].append(
                timed(lambda: client.post(f"/beacon/?page={product.pk}&lang=en", HTTP_USER_AGENT=BROWSER))
            )
    settings.DEMAND_RECORDING = True
    written = SearchEvent.objects.count() - searches_before
    print(f"{requests} requests of each kind with recording on and off; {written} searches written")
    print(f"(page-view rows before {views_before}, after {PageViewDay.objects.count()})")
    print(f"{'request':8} {'recording':9} {'median ms':>10} {'p95 ms':>8}")
    for kind in ("search", "beacon"):
        for on in (False, True):
            values = timings[(kind, on)]
            label = "on" if on else "off"
            print(f"{kind:8} {label:9} {statistics.median(values):10.2f} {percentile(values, 0.95):8.2f}")
        cost = statistics.median(timings[(kind, True)]) - statistics.median(timings[(kind, False)])
        print(f"{kind:8} cost of recording (median on - off): {cost:.2f} ms per request")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    run(args.requests)


if __name__ == "__main__":
    sys.exit(main())
