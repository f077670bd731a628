"""The search page, the autocomplete endpoint, the API and the rebuild command, on every engine."""

import pytest

from django.core.management import call_command

from search.models import SearchEntry

from .conftest import listed

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(engine, product_index):
    return {
        "fish_sauce": listed(
            product_index,
            "Nước mắm cá cơm Phú Quốc",
            stars=5,
            province="an-giang",
            certs=["haccp"],
            sample_available=True,
        ),
        "rice_paper": listed(product_index, "Bánh tráng cuốn Đà Nẵng", stars=3, province="da-nang"),
        "noodles": listed(product_index, "Mì Quảng Đà Nẵng", stars=4, province="da-nang"),
    }


def test_search_page_shows_hits_facets_and_messages(client, products):
    response = client.get("/vi/search/", {"q": "da nang", "province": "quang-nam"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bánh tráng cuốn Đà Nẵng" in html and "Mì Quảng Đà Nẵng" in html
    assert "Nước mắm" not in html.split('class="results"')[1]
    assert "Quảng Nam đã sáp nhập vào Đà Nẵng" in html
    assert 'data-facet="province"' in html and "An Giang" not in html.split('data-facet="category"')[0]
    assert "2 sản phẩm" in html


def test_search_page_without_parameters_lists_everything(client, products):
    response = client.get("/vi/search/")
    assert response.status_code == 200
    assert "3 sản phẩm" in response.content.decode()


def test_every_page_links_to_search_from_the_header(client, products):
    html = client.get(products["fish_sauce"].url).content.decode()
    assert 'action="/vi/search/"' in html and 'data-autocomplete="/vi/search/autocomplete/"' in html


def test_autocomplete_returns_at_most_ten_titles_with_urls(client, product_index, engine):
    for n in range(12):
        listed(product_index, f"Mật ong hoa nhãn số {n}", stars=3)
    body = client.get("/vi/search/autocomplete/", {"q": "mat ong hoa nh"}).json()
    assert len(body["suggestions"]) == 10
    first = body["suggestions"][0]
    assert first["title"].startswith("Mật ong hoa nhãn") and first["url"].startswith("/vi/products/")
    assert client.get("/vi/search/autocomplete/", {"q": ""}).json() == {"suggestions": []}
    assert client.get("/vi/search/autocomplete/", {"q": "zzzz"}).json() == {"suggestions": []}


def test_api_takes_the_same_parameters_and_returns_the_same_results_with_facets(client, products):
    params = {"q": "da nang", "stars": "4"}
    api = client.get("/api/v1/products/", params).json()
    assert [item["slug"] for item in api["items"]] == [products["noodles"].slug]
    assert api["count"] == 1
    assert {b["value"]: b["count"] for b in api["facets"]["stars"]} == {"3": 2, "4": 1, "5": 0}
    assert {b["value"]: b["count"] for b in api["facets"]["province"]} == {"da-nang": 1}
    page = client.get("/vi/search/", params)
    assert [h.slug for h in page.context["result"].hits] == [item["slug"] for item in api["items"]]

    legacy = client.get("/api/v1/products/", {"province": "quang-nam"}).json()
    assert {item["slug"] for item in legacy["items"]} == {products["noodles"].slug, products["rice_paper"].slug}
    assert legacy["messages"]
    assert client.get("/api/v1/products/", {"quality": "haccp", "sample": "1"}).json()["count"] == 1
    unknown = client.get("/api/v1/products/", {"category": "spaceships"}).json()
    assert unknown["count"] == 0 and unknown["items"] == [] and unknown["messages"]


def test_rebuild_command_recreates_the_index_and_says_what_it_did(products, engine, capsys):
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index")
    out = capsys.readouterr().out
    assert "3 visible products" in out
    assert SearchEntry.objects.count() == 3
    if engine == "elasticsearch":
        assert "elasticsearch" in out


def test_the_page_and_the_api_cost_the_same_queries_for_more_hits(client, products, product_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        client.get(url)  # warm per-process caches (reference data, facet columns)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = {url: queries(url) for url in ("/vi/search/", "/api/v1/products/")}
    for n in range(6):
        listed(product_index, f"Bánh đậu xanh Hải Dương {n}", stars=3)
    assert {url: queries(url) for url in few} == few
