"""The search server (a real osmem-server) stopped: searches fall back to the embedded engine
and find the same products, the results page shows them as usual, and /healthz/ says degraded."""

import uuid

import osmem_server
import pytest

from django.test import Client

from search.contract import SearchQuery, search
from search.engines import elasticsearch_engine
from tests.bench.osmem import PlainJsonNode  # test wiring: osmem answers 406 to compatible-with
from tests.factories import certified_product
from tests.faults.conftest import Server, free_port

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


@pytest.fixture
def search_server(settings):
    port = free_port()
    server = Server([osmem_server.resolve_binary(), "--no-ja", "--no-stdin-watch", "--addr", f"127.0.0.1:{port}"], port)
    server.start()
    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
    settings.ELASTICSEARCH_INDEX = f"faults-{uuid.uuid4().hex[:10]}"
    settings.ELASTICSEARCH_CLIENT_OPTIONS = {"node_class": PlainJsonNode}
    elasticsearch_engine().ensure_index()
    try:
        yield server
    finally:
        server.stop()


def found(**params):
    result = search(SearchQuery.from_params(params))
    return result.engine, sorted(hit.title for hit in result.hits)


def test_searches_fall_back_to_the_embedded_engine_with_the_same_results(search_server, product_index, producer_a):
    certified_product(product_index, producer=producer_a, title="Nước mắm Cửa Khe", slug="nuoc-mam-cua-khe")
    certified_product(product_index, producer=producer_a, title="Nước mắm cá cơm", slug="nuoc-mam-ca-com", stars=5)
    certified_product(product_index, producer=producer_a, title="Chè búp Tân Cương", slug="che-bup")
    queries = [{"q": "nuoc mam"}, {"q": "nước mắm", "stars": "5"}, {"q": "che"}]
    before = [found(**query) for query in queries]
    assert [engine for engine, _titles in before] == ["elasticsearch"] * 3
    assert {"Nước mắm Cửa Khe", "Nước mắm cá cơm"} <= set(before[0][1])

    search_server.stop()
    after = [found(**query) for query in queries]
    assert [engine for engine, _titles in after] == ["embedded"] * 3
    assert [titles for _engine, titles in after] == [titles for _engine, titles in before]
    page = Client(headers={"accept-language": "en"}).get("/en/search/?q=nuoc+mam")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Nước mắm Cửa Khe" in html and "Nước mắm cá cơm" in html
    health = Client().get("/healthz/").json()
    assert health["status"] == "degraded" and health["components"]["search"]["status"] == "error"
