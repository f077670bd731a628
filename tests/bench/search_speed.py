"""`make bench-search`: p50/p95 of representative queries per engine and for stock Wagtail,
quiet and while another process re-indexes products, and the facet columns' memory.

    python -m tests.bench.search_speed [--sizes 20000 200000] [--stock-max-size N] [--osmem] [--keep-index] ...

Run on a scratch database: it adds synthetic products.
"""

import argparse
import os
import sys
import time

import django

# manage.py's settings; DATABASE_URL names the scratch database (make bench-search).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402 (the apps load once Django is set up above)

from catalogue.models import ProductPage  # noqa: E402
from search.engines import EmbeddedEngine, columns, elasticsearch_engine  # noqa: E402
from search.models import SearchEntry  # noqa: E402
from tests.bench import osmem as osmem_wiring  # noqa: E402
from tests.bench import timing as run  # noqa: E402
from tests.bench.churn import Churn, column_memory  # noqa: E402
from tests.bench.synthetic import generate  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Benchmark search on synthetic catalogues (run on a scratch database: it adds products)."
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000])
    parser.add_argument("--reps", type=int, default=30, help="repetitions per query for our engines")
    parser.add_argument("--stock-reps", type=int, default=5, help="repetitions per query for stock Wagtail")
    parser.add_argument("--stock-budget", type=float, default=120, help="seconds per stock query before stopping")
    parser.add_argument(
        "--stock-max-size", type=int, default=None, help="skip stock Wagtail above this size (it is slow)"
    )
    parser.add_argument("--elasticsearch", action="store_true", help="also time Elasticsearch at ELASTICSEARCH_URL")
    parser.add_argument("--osmem", action="store_true", help="also time Elasticsearch on a local osmem-server")
    parser.add_argument("--churn", type=float, nargs="*", default=[1, 10], help="re-indexes a second in churn runs")
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="time the embedded index as it is when it already holds the catalogue (a rerun: no rebuild)",
    )
    parser.add_argument("--churn-budget", type=float, default=15, help="seconds per query in each churn run")
    args = parser.parse_args(argv)

    # Time what a live site runs: with DEBUG on, Django also records every statement.
    settings.DEBUG = False
    engines = {"embedded": EmbeddedEngine()}
    server = osmem_wiring.start(settings) if args.osmem else None
    if args.elasticsearch or args.osmem:
        engines["elasticsearch" if args.elasticsearch else "es (osmem)"] = elasticsearch_engine()
    try:
        measure(engines, args)
    finally:
        if server:
            server.close()
    return 0


def measure(engines, args):
    figures = {}
    for size in sorted(args.sizes):
        started = time.monotonic()
        made = generate(size)
        print(f"\n== {size:,} products on {run.vendor()} ({made:,} generated in {time.monotonic() - started:.0f} s)")
        for name, engine in engines.items():
            started = time.monotonic()
            if args.keep_index and name == "embedded" and not made and SearchEntry.objects.exists():
                print(f"  {name} index: kept as built before ({SearchEntry.objects.count():,} entries)")
                continue
            count = engine.rebuild()
            print(f"  {name} index: {count:,} visible products in {time.monotonic() - started:.0f} s")
        if "embedded" in engines:
            started = time.monotonic()
            loaded = columns.current()
            print(
                f"  embedded facet columns: {len(loaded):,} entries loaded in "
                f"{(time.monotonic() - started) * 1000:.0f} ms (once a process and rebuild; writes patch them)"
            )
        with_stock = args.stock_max_size is None or size <= args.stock_max_size
        if with_stock:
            run.build_stock_index()
        run.analyze()
        rows = []
        for label, params in run.QUERIES:
            stock = run.time_it(run.stock_runner(params), args.stock_reps, args.stock_budget) if with_stock else None
            for name, engine in engines.items():
                timing = run.time_it(run.engine_runner(engine, params), args.reps, budget=60)
                figures[(size, name, label)] = timing
                rows.append((label, name, timing, stock))
            if stock:
                figures[(size, "stock wagtail", label)] = stock
                rows.append((label, "stock wagtail", stock, None))
        table(rows)
        if "embedded" in engines:
            churn(engines["embedded"], size, args.churn, args.churn_budget)
            memory()
    ratios(figures, sorted(args.sizes), list(engines) + ["stock wagtail"])


def table(rows):
    print(f"  {'query':28} {'engine':14} {'p50 ms':>10} {'p95 ms':>10} {'hits':>8} {'reps':>5} {'vs stock p50':>13}")
    for label, name, timing, stock in rows:
        speedup = f"{stock['p50'] / timing['p50']:.0f}x" if stock else ""
        print(
            f"  {label:28} {name:14} {timing['p50']:10.1f} {timing['p95']:10.1f} "
            f"{timing['hits']:8,} {timing['n']:5} {speedup:>13}"
        )


def churn(engine, size, rates, budget):
    """The embedded engine's queries quiet and while another process re-indexes products."""
    if not rates:
        return

    # Each run lasts `budget` seconds a query, so the churn has time to matter.
    def timed():
        return {label: run.time_it(run.engine_runner(engine, params), 100_000, budget) for label, params in run.QUERIES}

    runs, done = {"quiet": timed()}, {}
    for rate in rates:
        with Churn(rate) as churning:
            runs[rate] = timed()
        done[rate] = (churning.reindexed, churning.seconds)
    heading = "".join(f"{f'churn {rate:g}/s p50/p95':>22}" for rate in rates)
    print(f"  embedded while re-indexing ({size:,}):")
    print(f"  {'query':28} {'quiet p50/p95':>22}{heading}")
    for label, _params in run.QUERIES:
        cells = "".join(f"{runs[key][label]['p50']:10.1f} /{runs[key][label]['p95']:8.1f} ms" for key in runs)
        print(f"  {label:28} {cells}")
    for rate, (count, seconds) in done.items():
        print(f"  churn {rate:g}/s: {count} products re-indexed in {seconds:.0f} s by another process")


def memory():
    found = column_memory()
    if not found:
        print("  facet columns' memory: the measuring process failed")
        return
    mb = 1024 * 1024
    print(
        f"  facet columns per process: {found['entries']:,} entries, arrays {found['nbytes'] / mb:.1f} MB, "
        f"traced {found['traced'] / mb:.1f} MB (peak while loading {found['peak'] / mb:.1f} MB), "
        f"RSS +{found['rss'] / mb:.1f} MB (process {found['process'] / mb:.0f} MB)"
    )


def ratios(figures, sizes, engines):
    if len(sizes) < 2:
        return
    small, large = sizes[0], sizes[-1]
    print(f"\n== p50 at {large:,} / p50 at {small:,}")
    for label, _params in run.QUERIES:
        for name in engines:
            a, b = figures.get((small, name, label)), figures.get((large, name, label))
            if a and b:
                print(f"  {label:28} {name:14} {b['p50'] / a['p50']:6.2f}x")
    print(f"  (products: {ProductPage.objects.count():,})")


if __name__ == "__main__":
    sys.exit(main())
