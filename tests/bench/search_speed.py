"""`make bench-search`: p50/p95 of representative queries per engine and for stock Wagtail,
quiet and while another process re-indexes products, and the facet columns' memory."""

import time

from django.core.management.base import BaseCommand

from catalogue.models import ProductPage
from search.engines import EmbeddedEngine
from tests.bench import timing as run
from tests.bench.churn import Churn, column_memory
from tests.bench.synthetic import generate


class Command(BaseCommand):
    help = "Benchmark search on synthetic catalogues (run on a scratch database: it adds products)."

    def add_arguments(self, parser):
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
        parser.add_argument("--churn-budget", type=float, default=15, help="seconds per query in each churn run")

    def handle(self, *args, sizes, reps, stock_reps, stock_budget, stock_max_size, elasticsearch, osmem, **options):
        self.churn_rates, self.churn_budget = options["churn"], options["churn_budget"]
        from django.conf import settings

        # Time what a live site runs: with DEBUG on, Django also records every statement.
        settings.DEBUG = False
        engines = {"embedded": EmbeddedEngine()}
        server = None
        if osmem:
            from django.conf import settings

            from tests.bench import osmem as osmem_wiring

            server = osmem_wiring.start(settings)
        if elasticsearch or osmem:
            from search.engines import elasticsearch_engine

            engines["elasticsearch" if elasticsearch else "es (osmem)"] = elasticsearch_engine()
        try:
            self._run(engines, sizes, reps, stock_reps, stock_budget, stock_max_size)
        finally:
            if server:
                server.close()

    def _run(self, engines, sizes, reps, stock_reps, stock_budget, stock_max_size):
        figures = {}
        for size in sorted(sizes):
            started = time.monotonic()
            made = generate(size)
            self.stdout.write(
                f"\n== {size:,} products on {run.vendor()} ({made:,} generated in {time.monotonic() - started:.0f} s)"
            )
            for name, engine in engines.items():
                started = time.monotonic()
                count = engine.rebuild()
                self.stdout.write(f"  {name} index: {count:,} visible products in {time.monotonic() - started:.0f} s")
            if "embedded" in engines:
                from search.engines import columns

                started = time.monotonic()
                loaded = columns.current()
                self.stdout.write(
                    f"  embedded facet columns: {len(loaded):,} entries loaded in "
                    f"{(time.monotonic() - started) * 1000:.0f} ms (once a process and rebuild; writes patch them)"
                )
            with_stock = stock_max_size is None or size <= stock_max_size
            if with_stock:
                run.build_stock_index(self.stdout)
            run.analyze()
            rows = []
            for label, params in run.QUERIES:
                stock = run.time_it(run.stock_runner(params), stock_reps, stock_budget) if with_stock else None
                for name, engine in engines.items():
                    timing = run.time_it(run.engine_runner(engine, params), reps, budget=60)
                    figures[(size, name, label)] = timing
                    rows.append((label, name, timing, stock))
                if stock:
                    figures[(size, "stock wagtail", label)] = stock
                    rows.append((label, "stock wagtail", stock, None))
            self._table(size, rows)
            if "embedded" in engines:
                self._churn(engines["embedded"], size, reps)
                self._memory()
        self._ratios(figures, sorted(sizes), list(engines) + ["stock wagtail"])

    def _table(self, size, rows):
        self.stdout.write(
            f"  {'query':28} {'engine':14} {'p50 ms':>10} {'p95 ms':>10} {'hits':>8} {'reps':>5} {'vs stock p50':>13}"
        )
        for label, name, timing, stock in rows:
            speedup = f"{stock['p50'] / timing['p50']:.0f}x" if stock else ""
            self.stdout.write(
                f"  {label:28} {name:14} {timing['p50']:10.1f} {timing['p95']:10.1f} "
                f"{timing['hits']:8,} {timing['n']:5} {speedup:>13}"
            )

    def _churn(self, engine, size, reps):
        """The embedded engine's queries quiet and while another process re-indexes products."""
        if not self.churn_rates:
            return

        # Each run lasts `churn_budget` seconds a query, so the churn has time to matter.
        def timed():
            return {
                label: run.time_it(run.engine_runner(engine, params), 100_000, self.churn_budget)
                for label, params in run.QUERIES
            }

        runs, done = {"quiet": timed()}, {}
        for rate in self.churn_rates:
            with Churn(rate) as churn:
                runs[rate] = timed()
            done[rate] = (churn.reindexed, churn.seconds)
        heading = "".join(f"{f'churn {rate:g}/s p50/p95':>22}" for rate in self.churn_rates)
        self.stdout.write(f"  embedded while re-indexing ({size:,}):")
        self.stdout.write(f"  {'query':28} {'quiet p50/p95':>22}{heading}")
        for label, _params in run.QUERIES:
            cells = "".join(f"{runs[key][label]['p50']:10.1f} /{runs[key][label]['p95']:8.1f} ms" for key in runs)
            self.stdout.write(f"  {label:28} {cells}")
        for rate, (count, seconds) in done.items():
            self.stdout.write(f"  churn {rate:g}/s: {count} products re-indexed in {seconds:.0f} s by another process")

    def _memory(self):
        found = column_memory()
        if not found:
            self.stdout.write("  facet columns' memory: the measuring process failed")
            return
        mb = 1024 * 1024
        self.stdout.write(
            f"  facet columns per process: {found['entries']:,} entries, arrays {found['nbytes'] / mb:.1f} MB, "
            f"traced {found['traced'] / mb:.1f} MB (peak while loading {found['peak'] / mb:.1f} MB), "
            f"RSS +{found['rss'] / mb:.1f} MB (process {found['process'] / mb:.0f} MB)"
        )

    def _ratios(self, figures, sizes, engines):
        if len(sizes) < 2:
            return
        small, large = sizes[0], sizes[-1]
        self.stdout.write(f"\n== p50 at {large:,} / p50 at {small:,}")
        for label, _params in run.QUERIES:
            for name in engines:
                a, b = figures.get((small, name, label)), figures.get((large, name, label))
                if a and b:
                    self.stdout.write(f"  {label:28} {name:14} {b['p50'] / a['p50']:6.2f}x")
        self.stdout.write(f"  (products: {ProductPage.objects.count():,})")
