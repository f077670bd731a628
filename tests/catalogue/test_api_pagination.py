"""One pagination scheme for every API list: page, page_size (at most 100), count, num_pages, next, previous."""

import pytest

from tests.factories import certified_product

pytestmark = pytest.mark.django_db

LISTS = ["/api/v1/products/", "/api/v1/certifications/"]


@pytest.fixture
def five(product_index):
    return [certified_product(product_index, title=f"Mật ong rừng số {n}", slug=f"mat-ong-{n}") for n in range(5)]


@pytest.mark.parametrize("url", LISTS)
def test_every_list_pages_the_same_way(client, five, url):
    first = client.get(url, {"page_size": 2}).json()
    assert {k: first[k] for k in ("count", "page", "page_size", "num_pages", "previous")} == {
        "count": 5,
        "page": 1,
        "page_size": 2,
        "num_pages": 3,
        "previous": None,
    }
    seen, body = [], first
    while True:
        seen += [item.get("slug") or item["id"] for item in body["items"]]
        if body["next"] is None:
            break
        assert body["next"].startswith("http://testserver" + url) and "page_size=2" in body["next"]
        body = client.get(body["next"]).json()
    assert len(seen) == len(set(seen)) == 5 and body["page"] == 3
    assert client.get(body["previous"]).json()["page"] == 2


@pytest.mark.parametrize("url", LISTS)
def test_the_default_page_size_is_stated(client, five, url):
    body = client.get(url).json()
    assert body["page_size"] == 50 and len(body["items"]) == 5 and body["next"] is None


@pytest.mark.parametrize("url", LISTS)
def test_a_page_past_the_end_is_empty_and_points_back_to_the_last(client, five, url):
    body = client.get(url, {"page": 40, "page_size": 2}).json()
    assert body["items"] == [] and body["count"] == 5 and body["num_pages"] == 3 and body["page"] == 40
    assert body["next"] is None and "page=3" in body["previous"]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page_size": "101"}, "less than or equal to 100"),
        ({"page_size": "0"}, "greater than or equal to 1"),
        ({"page": "0"}, "greater than or equal to 1"),
        ({"page": "10001"}, "less than or equal to 10000"),
        ({"page": "99999999999999999999"}, "less than or equal to 10000"),
        ({"page": "9" * 5000}, "exceeded maximum size"),
        ({"page": "²"}, "valid integer"),
        ({"page": "abc"}, "valid integer"),
    ],
)
def test_an_impossible_page_or_page_size_is_refused_saying_why(client, five, url, params, message):
    response = client.get(url, params)
    assert response.status_code == 400
    (error,) = response.json()["detail"]
    assert error["loc"][-1] in params and message in error["msg"]


def test_the_schema_documents_the_limits(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in LISTS:
        params = {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}
        assert params["page_size"]["schema"]["maximum"] == 100 and params["page"]["schema"]["maximum"] == 10_000
