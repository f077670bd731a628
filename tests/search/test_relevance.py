"""Relevance on the demo catalogue: every engine answers the judged buyer queries well.

The judged set (tests/bench/judged.py) holds each query's expected products, judged by
hand. The catalogue is loaded once per engine (half a minute) inside a transaction
that is rolled back after the module, so the other tests still start from an empty shop.
"""

import os
import uuid

import pytest

from django.db import transaction
from django.test import override_settings

from catalogue.demo.loader import load_demo
from catalogue.models import ProductPage
from search.contract import SearchQuery, search
from search.engines import EmbeddedEngine
from tests.bench import judged
from tests.bench.osmem import PlainJsonNode  # test wiring: osmem answers 406 to compatible-with
from tests.conftest import restore_reference_data

from .conftest import ENGINES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", params=ENGINES)
def demo(request, django_db_setup, django_db_blocker):
    """The demo catalogue indexed by one engine; yields that engine's name."""
    with django_db_blocker.unblock(), transaction.atomic():
        restore_reference_data()  # set up before the autouse fixture that would
        load_demo()
        EmbeddedEngine().rebuild()
        if request.param == "elasticsearch":
            clone = None
            url = os.environ.get("ELASTICSEARCH_URL")
            options = {}
            if not url:
                clone = request.getfixturevalue("osmem_server").clone()
                url, options = clone.url, {"node_class": PlainJsonNode}
            alias = f"test-ocop-relevance-{uuid.uuid4().hex[:10]}"
            with override_settings(
                SEARCH_ENGINE="elasticsearch",
                ELASTICSEARCH_URL=url,
                ELASTICSEARCH_INDEX=alias,
                ELASTICSEARCH_CLIENT_OPTIONS=options,
            ):
                from search.engines import elasticsearch_engine

                engine = elasticsearch_engine()
                engine.rebuild()
                try:
                    yield request.param
                finally:
                    for index in engine._current_indices():
                        engine.es.indices.delete(index=index, ignore_unavailable=True)
                    if clone:
                        clone.close()
        else:
            with override_settings(SEARCH_ENGINE="embedded"):
                yield request.param
        transaction.set_rollback(True)


@pytest.fixture
def ranked(demo):
    """Run a buyer's query on the engine under test: product slugs in rank order, every result."""

    def run(q):
        result = search(SearchQuery.from_params({"q": q}, page_size=500))
        assert result.engine == demo, f"{demo} did not answer (fell back to {result.engine})"
        return [page.slug for page in result.hits]

    return run


@pytest.fixture
def visible(demo):
    return set(ProductPage.objects.visible().values_list("slug", flat=True))


def table(evaluation):
    rows = [
        f"{s.query!r}: P@{s.k} {s.precision_at_k:.2f}, recall@24 {s.recall_first_page:.2f}, missed {s.missed}"
        for s in evaluation.scores
        if s.precision_at_k < 1 or s.recall_first_page < 1
    ]
    return "\n".join(rows)


def test_the_judged_queries_find_what_buyers_want_first(ranked, visible):
    evaluation = judged.evaluate(ranked, visible=visible)
    assert len(evaluation.scores) >= 25
    assert evaluation.precision_at_k >= 0.9, table(evaluation)
    assert evaluation.recall_first_page >= 0.9, table(evaluation)


def test_honey_ranks_every_honey_above_products_that_only_share_its_group_name(ranked, visible):
    results = ranked("honey")
    honey = [slug for slug in judged.HONEY if slug in visible]
    assert honey and set(honey) <= set(results[: len(honey)]), results[:5]
    for seafood in ("tom-kho-rach-goc", "cha-muc-gia-tay-ha-long", "nem-chua-thanh-hoa"):
        if seafood in results:
            assert results.index(seafood) > max(results.index(h) for h in honey)


def test_ceramic_finds_bat_trang_and_bau_truc_pottery(ranked, visible):
    results = ranked("ceramic")
    pottery = {slug for slug in judged.CERAMICS if slug in visible}
    assert {"binh-gom-men-ran-bat-trang", "binh-gom-bau-truc"} <= pottery
    assert pottery <= set(results[: len(pottery)]), results[:8]


def test_wine_finds_the_ruou(ranked, visible):
    results = ranked("wine")
    spirits = {slug for slug in judged.SPIRITS_AND_WINES if slug in visible}
    assert len(spirits) >= 5
    assert spirits <= set(results[: len(spirits)]), results[:10]


def test_a_vietnamese_query_without_diacritics_finds_what_its_english_twin_finds(ranked, visible):
    assert set(ranked("nuoc mam")[:3]) == set(ranked("fish sauce")[:3]) == set(judged.FISH_SAUCE) & visible
