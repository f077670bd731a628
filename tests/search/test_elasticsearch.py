"""What only the Elasticsearch engine does: alias swaps, and falling back when it is down."""

import logging

import pytest

from search.contract import SearchQuery, search
from search.engines import elasticsearch_engine

from .conftest import listed, use_elasticsearch

pytestmark = pytest.mark.django_db


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
        assert client.get("/search/", {"q": "nuoc mam"}).status_code == 200
        assert client.get("/search/autocomplete/", {"q": "nuoc"}).json()["suggestions"]
        assert client.get("/api/v1/products/", {"q": "nuoc mam"}).json()["count"] == 1
    assert any("Elasticsearch unavailable" in r.getMessage() for r in caplog.records)
