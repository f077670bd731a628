"""Catalogue churn and memory for the search benchmark, each in a process of its own.

`Churn(rate)` starts a spawned process with its own database connection that re-indexes
random products, `rate` a second, as the reindex task does (change a field, then the
embedded engine's update), while the parent times its queries. `column_memory()` loads
the facet columns in a fresh process and reports what they cost there.
"""

import multiprocessing
import os
import random
import time
import tracemalloc

MAX_SECONDS = 900  # a churn process never outlives this, whatever the parent does


def _django():
    import django

    django.setup()


def reindex_loop(rate, stop, ready, done, seed=7):
    """Re-index one random product every 1/rate seconds until `stop` is set (bounded anyway)."""
    _django()
    from catalogue.models import ProductPage
    from search.engines import EmbeddedEngine
    from search.models import SearchEntry

    rng = random.Random(seed)  # noqa: S311 (benchmark, not security)
    page_ids = list(SearchEntry.objects.values_list("page_id", flat=True))
    engine = EmbeddedEngine()
    ready.set()
    started = time.monotonic()
    for count in range(int(rate * MAX_SECONDS)):
        if stop.is_set() or time.monotonic() - started > MAX_SECONDS:
            break
        page_id = rng.choice(page_ids)
        ProductPage.objects.filter(pk=page_id).update(sample_available=rng.random() < 0.3)
        engine.update(ProductPage.objects.filter(pk=page_id))
        done.value = count + 1
        pause = started + (count + 1) / rate - time.monotonic()
        if pause > 0:
            stop.wait(pause)


class Churn:
    """`with Churn(10) as churn:` re-indexes ten products a second in another process."""

    def __init__(self, rate):
        self.rate = rate
        context = multiprocessing.get_context("spawn")
        self.stop, self.ready = context.Event(), context.Event()
        self.done = context.Value("i", 0)
        self.process = context.Process(target=reindex_loop, args=(rate, self.stop, self.ready, self.done), daemon=True)

    def __enter__(self):
        from django.db import connections

        connections.close_all()  # the child opens its own
        self.process.start()
        if not self.ready.wait(120):
            self.__exit__()
            raise RuntimeError("the churn process did not start")
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.process.join(30)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        self.seconds = time.monotonic() - getattr(self, "started", time.monotonic())

    @property
    def reindexed(self):
        return self.done.value


def _rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _measure(results):
    _django()
    from search.engines import columns
    from search.models import IndexVersion

    IndexVersion.objects.first()  # the connection and the ORM warmed up before measuring
    before = _rss()
    held = columns.current()
    grown = _rss() - before
    # Traced around a second load: what the arrays keep (current) and what loading needs (peak).
    tracemalloc.start()
    again = columns.load()
    traced, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results.update(entries=len(again), nbytes=held.nbytes(), traced=traced, peak=peak, rss=grown, process=_rss())


def column_memory():
    """{entries, nbytes, traced, peak, rss, process}: the columns' cost in a fresh process, in bytes."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        results = manager.dict()
        process = context.Process(target=_measure, args=(results,))
        process.start()
        process.join(600)
        if process.is_alive():
            process.terminate()
        return dict(results)
