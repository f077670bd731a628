"""What only the Elasticsearch engine does: alias swaps, falling back when it is down, and how
its analyzer, field weights and trade-terms expansion shape what a buyer finds."""

import logging

import pytest

from catalogue.models import Category
from search.contract import SearchQuery, search
from search.engines import elasticsearch_engine

from .conftest import listed, use_elasticsearch

pytestmark = pytest.mark.django_db


@pytest.fixture
def es(settings, product_index, elasticsearch_url):
    """The site on Elasticsearch with an empty index; the index is dropped afterwards."""
    use_elasticsearch(settings, elasticsearch_url)
    engine = elasticsearch_engine()
    engine.ensure_index()
    yield engine
    for index in engine._current_indices():
        engine.es.indices.delete(index=index, ignore_unavailable=True)


def ranked(q):
    result = search(SearchQuery.from_params({"q": q}))
    assert result.engine == "elasticsearch"
    return [hit.title for hit in result.hits]


@pytest.mark.elasticsearch
def test_rebuild_fills_a_new_index_and_swaps_the_alias(settings, product_index, elasticsearch_url):
    use_elasticsearch(settings, elasticsearch_url)
    listed(product_index, "Nước mắm Nam Ô", province="da-nang")
    engine = elasticsearch_engine()
    engine.ensure_index()
    before = engine._current_indices()
    assert engine.rebuild() == 1
    after = engine._current_indices()
    assert len(after) == 1 and after != before
    assert not engine.es.indices.exists(index=before[0])
    assert search(SearchQuery.from_params({"q": "nam o"})).total == 1
    engine.es.indices.delete(index=after[0])


def test_an_unreachable_cluster_falls_back_to_the_embedded_engine(settings, product_index, client, caplog):
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    with caplog.at_level(logging.WARNING):
        listed(product_index, "Nước mắm Nam Ô", province="da-nang")
        result = search(SearchQuery.from_params({"q": "nuoc mam"}))
        assert result.engine == "embedded" and result.total == 1
        assert client.get("/vi/search/", {"q": "nuoc mam"}).status_code == 200
        assert client.get("/vi/search/autocomplete/", {"q": "nuoc"}).json()["suggestions"]
        assert client.get("/api/v1/products/", {"q": "nuoc mam"}).json()["count"] == 1
    assert any("Elasticsearch unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.elasticsearch
def test_the_analyzer_folds_vietnamese_to_the_words_every_engine_uses(es):
    analyzed = es.es.indices.analyze(index=es.alias, analyzer="vietnamese_folding", text="Nước MẮM Đà Nẵng, bird's")
    assert [token["token"] for token in analyzed["tokens"]][:4] == ["nuoc", "mam", "da", "nang"]


@pytest.mark.elasticsearch
def test_ceramic_finds_gom_through_the_trade_terms(es, product_index):
    crafts = Category.objects.get(code="4.1")
    listed(product_index, "Bình gốm Bàu Trúc", category=crafts, province="khanh-hoa")
    listed(product_index, "Đèn lồng lụa Hội An", category=crafts, province="da-nang")
    assert ranked("ceramic") == ranked("pottery") == ["Bình gốm Bàu Trúc"]
    assert ranked("gom") == ["Bình gốm Bàu Trúc"]
    # A dictionary phrase matches as a phrase: "fish sauce" is not "fish" near "sauce".
    listed(product_index, "Nước mắm cốt Cát Hải", name_en="First-press anchovy extract")
    assert ranked("fish sauce") == ["Nước mắm cốt Cát Hải"]


@pytest.mark.elasticsearch
def test_a_name_match_outranks_a_description_match_which_outranks_a_group_name_match(es, product_index):
    seafood = Category.objects.get(code="1.3.d")  # "Processed from meat, eggs, milk, seafood and honey"
    sweets = Category.objects.get(code="1.3.c")
    listed(product_index, "Tôm khô Rạch Gốc", name_en="Dried shrimp", category=seafood, stars=5)
    listed(
        product_index,
        "Mứt gừng Huế",
        name_en="Candied ginger",
        category=sweets,
        description="<p>Gừng non sên với mật ong rừng.</p>",
        stars=5,
    )
    listed(product_index, "Kẹo mật ong gừng", name_en="Honey ginger candy", category=sweets, stars=3)
    assert ranked("honey") == ["Kẹo mật ong gừng", "Mứt gừng Huế", "Tôm khô Rạch Gốc"]


@pytest.mark.elasticsearch
def test_autocomplete_expands_complete_words_and_prefixes_the_last(es, product_index, client):
    crafts = Category.objects.get(code="4.1")
    listed(product_index, "Bình gốm Bàu Trúc", category=crafts, province="khanh-hoa")
    listed(product_index, "Bình gốm men rạn Bát Tràng", category=crafts)

    def suggested(q):
        return {s["title"] for s in client.get("/vi/search/autocomplete/", {"q": q}).json()["suggestions"]}

    assert suggested("ceramic") == {"Bình gốm Bàu Trúc", "Bình gốm men rạn Bát Tràng"}
    assert suggested("ceramic ba") == {"Bình gốm Bàu Trúc", "Bình gốm men rạn Bát Tràng"}
    assert suggested("ceramic bau tr") == {"Bình gốm Bàu Trúc"}


@pytest.mark.elasticsearch
def test_an_edited_trade_terms_file_applies_to_the_next_search_and_survives_a_rebuild(
    es, product_index, settings, tmp_path
):
    terms = tmp_path / "trade_terms.txt"
    terms.write_text("ceramic, gốm\n", encoding="utf-8")
    settings.SEARCH_TRADE_TERMS = str(terms)
    listed(product_index, "Chum sành Phù Lãng", category=Category.objects.get(code="4.1"), province="bac-ninh")
    assert ranked("stoneware jar") == []
    terms.write_text("ceramic, gốm\nstoneware jar, chum sành\n", encoding="utf-8")
    assert ranked("stoneware jar") == ["Chum sành Phù Lãng"]
    assert es.rebuild() == 1
    assert ranked("stoneware jar") == ["Chum sành Phù Lãng"]
