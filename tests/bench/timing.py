"""Timing representative queries on each engine and on stock Wagtail search.

Stock Wagtail search is measured the way a site would use it for this page:
`ProductPage.objects.live().filter(...).search(q)` for hits and `.facet(...)` on province,
category and producer (stars is an annotation Wagtail cannot facet). It skips the
visibility rule, which only makes it cheaper.
"""

import statistics
import time

from django.db import connection

from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.query import MATCH_ALL

from catalogue.models import Category, ProductPage, Province
from search.contract import SearchQuery, search

QUERIES = [
    ("text, with diacritics", {"q": "Nước mắm"}),
    ("text, without diacritics", {"q": "nuoc mam"}),
    # English through the glossary: "fish sauce" is also asked as "nước mắm".
    ("text, English", {"q": "fish sauce"}),
    # Stock Wagtail finds nothing for "nuoc mam", so it gets the spelling it can answer.
    ("text + 2 filters + facets", {"q": "Nước mắm", "province": "ha-noi", "category": "food"}),
    ("filters + facets only", {"province": "ha-noi", "category": "food", "stars": "4"}),
]


def percentile(samples, pct):
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def time_it(fn, reps, budget):
    """Run fn up to `reps` times (at least twice) or until `budget` seconds are spent."""
    samples, result = [], None
    started = time.monotonic()
    for i in range(reps):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
        if i >= 1 and time.monotonic() - started > budget:
            break
    return {"p50": statistics.median(samples), "p95": percentile(samples, 95), "n": len(samples), "hits": result}


def engine_runner(engine, params):
    def run():
        return search(SearchQuery.from_params(params), engine=engine).total

    return run


def stock_runner(params):
    """Stock Wagtail: .search() for hits and total, .facet() for three facets when filtering."""
    backend = get_search_backend()
    province = Province.objects.current().get(slug=params["province"]) if "province" in params else None
    category = Category.objects.get(slug=params["category"]) if "category" in params else None
    faceted = "province" in params

    def run():
        pages = ProductPage.objects.live()
        if province:
            pages = pages.filter(province=province)
        if category:
            pages = pages.filter(category__in=list(Category.objects.subtree(category)))
        results = backend.search(params.get("q") or MATCH_ALL, pages)
        total = results.count()
        list(results[:24])
        if faceted:
            for field in ("province_id", "category_id", "producer_id"):
                results.facet(field)
        return total

    return run


def build_stock_index():
    """Wagtail's own index for ProductPage, as `update_index` would build it (in batches)."""
    started = time.monotonic()
    index = get_search_backend().get_index_for_model(ProductPage)
    indexed = max((int(i) for i in IndexEntry.objects.values_list("object_id", flat=True)), default=0)
    batch, count = [], 0
    for page in ProductPage.objects.filter(pk__gt=indexed).order_by("pk").iterator(chunk_size=2000):
        batch.append(page)
        if len(batch) >= 2000:
            index.add_items(ProductPage, batch)
            count += len(batch)
            batch = []
    if batch:
        index.add_items(ProductPage, batch)
        count += len(batch)
    print(f"  stock Wagtail index: {count} pages added in {time.monotonic() - started:.0f} s")


def analyze():
    """Leave each database as a live site would be.

    PostgreSQL: autovacuum keeps statistics and visibility maps, so VACUUM ANALYZE. SQLite
    never analyses by itself (our rebuild analyses only the search tables), so nothing:
    a database-wide ANALYZE there speeds stock Wagtail search up a lot and slows
    Wagtail's own view-restriction query down.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def vendor():
    return connection.vendor
