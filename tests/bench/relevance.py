"""`make bench-search`: precision and recall of every engine on the judged buyer queries, then
each engine's recall on the development set of real products (tests/bench/real_products.py)
per language: Vietnamese as published, Vietnamese without diacritics, English.

    python -m tests.bench.relevance [--elasticsearch] [--osmem]

Run on a scratch database: it loads the demo catalogue if absent and rebuilds the indexes.
The real products join the demo catalogue inside a transaction that is rolled back (and
are removed from Elasticsearch) once measured, so a second run starts from the same shop.
"""

import argparse
import json
import logging
import os
import sys
import time

import django

# manage.py's settings; DATABASE_URL names the scratch database (make bench-search).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402 (the apps load once Django is set up above)
from django.db import transaction  # noqa: E402

from catalogue.demo.loader import DATA_FILE, load_demo  # noqa: E402
from catalogue.models import ProductPage  # noqa: E402
from search.contract import SearchQuery, search  # noqa: E402
from search.engines import EmbeddedEngine, elasticsearch_engine  # noqa: E402
from tests.bench import judged, real_products  # noqa: E402
from tests.bench import osmem as osmem_wiring  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=(
            "Score each engine on the judged buyer queries (tests/bench/judged.py) over the demo catalogue; "
            "run on a scratch database: it loads the demo catalogue if absent and rebuilds the indexes."
        )
    )
    parser.add_argument("--elasticsearch", action="store_true", help="also score Elasticsearch at ELASTICSEARCH_URL")
    parser.add_argument("--osmem", action="store_true", help="also score Elasticsearch on a local osmem-server")
    args = parser.parse_args(argv)

    # The client logs every request at INFO; the table is what this benchmark is for.
    logging.getLogger("elastic_transport").setLevel(logging.WARNING)
    demo = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    demo_slugs = {product["key"] for producer in demo["producers"] for product in producer["products"]}
    if not ProductPage.objects.filter(slug__in=demo_slugs).exists():
        started = time.monotonic()
        counts = load_demo()
        print(
            f"Demo catalogue loaded: {counts['products']} products of {counts['producers']} producers "
            f"in {time.monotonic() - started:.0f} s."
        )
    pages = dict(ProductPage.objects.values_list("pk", "slug"))
    visible = set(ProductPage.objects.visible().values_list("slug", flat=True))
    others = len(set(pages.values()) - demo_slugs)
    print(
        f"{len(pages)} products in the database, {len(visible)} visible today"
        + (f"; {others} are not demo products and compete too." if others else ".")
    )

    engines = {"embedded": EmbeddedEngine()}
    server = osmem_wiring.start(settings) if args.osmem else None
    if args.elasticsearch or args.osmem:
        engines["elasticsearch" if args.elasticsearch else "es (osmem)"] = elasticsearch_engine()
    try:
        evaluations = {}
        for name, engine in engines.items():
            started = time.monotonic()
            count = engine.rebuild()
            print(f"  {name} index: {count} visible products in {time.monotonic() - started:.1f} s")
            evaluations[name] = judged.evaluate(runner(engine, pages), visible=visible)
        table(evaluations)
        for name, recall in real_product_recall(engines).items():
            print("\n" + recall.table(name))
    finally:
        if server:
            server.close()
    return 0


def real_product_recall(engines):
    """{engine name: real_products.Recall}, the real products listed beside the demo catalogue
    for the measurement only."""
    recalls, ids = {}, []
    parent = ProductPage.objects.order_by("pk").first().get_parent()
    try:
        with transaction.atomic():
            shelf = real_products.build(parent)
            ids = sorted(page.pk for page in shelf.values())
            for name, engine in engines.items():
                if not isinstance(engine, EmbeddedEngine):  # build() indexed the embedded engine
                    engine.update(ProductPage.objects.filter(pk__in=ids))
                recalls[name] = real_products.evaluate(id_runner(engine), shelf)
            transaction.set_rollback(True)
    finally:
        for engine in engines.values():
            if ids and not isinstance(engine, EmbeddedEngine):
                engine.remove(ids)
    return recalls


def id_runner(engine):
    """Page ids for `q` as a buyer gets them: through the contract, which relaxes an English
    query nothing matches (search.synonyms.relaxed)."""

    def run(q):
        return [hit.pk for hit in search(SearchQuery.from_params({"q": q}, page_size=real_products.TOP), engine).hits]

    return run


def runner(engine, pages):
    def run(q):
        answer = engine.search(SearchQuery.from_params({"q": q}, page_size=500))
        return [pages[pk] for pk in answer.ids if pk in pages]

    return run


def table(evaluations):
    names = list(evaluations)
    first = evaluations[names[0]]
    header = f"{'query':20} {'expected':>8}" + "".join(f" | {name[:22]:^22}" for name in names)
    columns = f"{'':20} {'':>8}" + "".join(f" | {'P@k':>6} {'r@24':>6} {'recall':>6}" for _ in names)
    print("\n" + header + "\n" + columns)
    for i, score in enumerate(first.scores):
        line = f"{score.query:20} {score.expected:8}"
        for name in names:
            s = evaluations[name].scores[i]
            line += f" | {s.precision_at_k:6.2f} {s.recall_first_page:6.2f} {s.recall:6.2f}"
        print(line)
    line = f"{'mean':20} {len(first.scores):8}"
    for name in names:
        e = evaluations[name]
        line += f" | {e.precision_at_k:6.2f} {e.recall_first_page:6.2f} {e.recall:6.2f}"
    print(line)
    print(
        "P@k: share of the first k = min(10, expected) results that are expected; "
        "r@24: share of the expected on the first page; recall: on every page."
    )


if __name__ == "__main__":
    sys.exit(main())
