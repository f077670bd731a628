"""Hostile input on the public site and the API: a message, a 404 or a 400, never a 500.

Superscript and other scripts' digits, numbers thousands of digits long or past 64 bits,
NUL and other control characters, in every parameter and path segment. Each request runs
in its own savepoint, so on PostgreSQL one refused statement cannot hide the next case.
"""

import pytest

from django.db import transaction

from tests.factories import certified_product

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000
HOSTILE = ["²", "¹", "٣", "３", HUGE, "9" * 30, "-1", "0", "1e3", "1_000"]
HOSTILE += ["\x00", "ha-noi\x00", "\x01\x1b[31m", "\ufffd"]


@pytest.fixture
def client(english_client):
    # These tests read the English source strings; tests/test_translations.py covers Vietnamese.
    return english_client


@pytest.fixture(autouse=True)
def _english(english):
    pass


@pytest.fixture
def listed(product_index):
    return certified_product(product_index, stars=4, title="Nước mắm Nam Ô", slug="nuoc-mam-nam-o")


def get(client, url, params=None):
    with transaction.atomic():
        return client.get(url, params or {})


PUBLIC_PARAMETERS = [
    ("/en/search/", ["q", "province", "category", "stars", "sample", "quality", "sort", "page"]),
    ("/en/search/autocomplete/", ["q"]),
    ("/api/v1/products/", ["q", "province", "category", "stars", "sample", "quality", "sort", "page", "page_size"]),
    ("/api/v1/certifications/", ["q", "status", "page", "page_size"]),
    ("/api/v1/provinces/", ["era"]),
    ("/en/products/", ["page"]),
    ("/en/verify/", ["q", "page"]),
    ("/sitemap-products.xml", ["p"]),
    ("/sitemap-records.xml", ["p"]),
    ("/en/inquiries/sourcing/", ["category_slug"]),
]


@pytest.mark.parametrize(("url", "names"), PUBLIC_PARAMETERS, ids=[url for url, _ in PUBLIC_PARAMETERS])
def test_no_parameter_of_a_public_page_or_the_api_gives_a_500(client, listed, url, names):
    for name in names:
        for value in HOSTILE:
            response = get(client, url, {name: value, **({"q": "mam"} if name == "page" else {})})
            assert response.status_code < 500, (url, name, value[:20])


PATHS = [
    "/api/v1/products/{}/",
    "/api/v1/certifications/{}/",
    "/en/products/{}/",
    "/en/producers/{}/",
    "/en/certifications/{}/",
    "/en/certifications/{}/qr.svg",
    "/en/inquiries/product/{}/",
    "/en/inquiries/sent/{}/",
    "/en/inquiries/thread/{}/",
    "/en/inquiries/thread/{}/erase/",
    "/documents/{}/annex.pdf",
    "/{}/",
]


@pytest.mark.parametrize("path", PATHS)
def test_no_path_segment_gives_a_500(client, listed, path):
    for segment in ["a%00b", "%00", "9" * 30, HUGE, "%C2%B2", "%D9%A3", "%01%1B"]:
        response = get(client, path.format(segment))
        assert response.status_code in (301, 302, 404), (path, segment[:20], response.status_code)


def test_superscript_digits_and_huge_numbers_become_messages_on_the_search_page(client, listed):
    for stars in ["²", "¹", "٣", HUGE]:
        response = client.get("/en/search/", {"stars": stars})
        assert response.status_code == 200
        assert "Stars must be 3, 4 or 5" in response.content.decode()
    for page in ["²", "¹", HUGE, "9" * 30]:
        response = client.get("/en/search/", {"page": page})
        assert response.status_code == 200
        assert "That page does not exist" in response.content.decode()
        assert response.context["result"].page == 1


def test_the_api_reads_filters_like_the_search_page(client, listed):
    body = client.get("/api/v1/products/", {"stars": "²"}).json()
    assert body["count"] == 1 and body["messages"] == ["Stars must be 3, 4 or 5; showing every star class."]
    assert client.get("/api/v1/products/", {"stars": HUGE}).json()["count"] == 1


@pytest.mark.parametrize(("name", "slug"), [("province", "ha-noi"), ("category", "condiments")])
def test_a_nul_inside_a_slug_makes_it_unknown_and_around_it_is_trimmed(client, listed, name, slug):
    broken = slug.replace("-", "\x00") if "-" in slug else slug[:3] + "\x00" + slug[3:]
    page = get(client, "/en/search/", {name: broken})
    assert page.status_code == 200 and "nothing matches it" in page.content.decode()
    body = get(client, "/api/v1/products/", {name: broken}).json()
    assert body["count"] == 0 and "nothing matches it" in body["messages"][0]
    assert get(client, "/api/v1/products/", {name: f"\x00{slug}\x00"}).json()["count"] == 1


def test_nul_in_free_text_is_a_space(client, listed):
    assert get(client, "/api/v1/certifications/", {"q": "nuoc\x00mam"}).json()["count"] == 1
    assert get(client, "/en/search/autocomplete/", {"q": "nuoc\x00mam"}).status_code == 200


def test_paths_naming_nothing_answer_404(client, listed):
    api = get(client, "/api/v1/products/nuoc-mam-nam-o%00/")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    assert get(client, "/en/inquiries/thread/abc%00def/").status_code == 404
    assert get(client, "/en/inquiries/product/99999999999999999999/").status_code == 404
    assert get(client, f"/documents/{HUGE}/annex.pdf").status_code == 404
    # A number that fits is still looked up as before.
    assert get(client, f"/en/inquiries/product/{listed.pk}/").status_code == 200
    assert get(client, "/api/v1/products/nuoc-mam-nam-o/").status_code == 200


def test_a_cookie_holding_nul_is_ignored(client, listed):
    # A quoted cookie may carry a backslash-octal "000", which Django's cookie parser turns into NUL.
    cookie = {"HTTP_COOKIE": 'sessionid="\\000abcdefghijklmnop"'}
    with transaction.atomic():
        assert client.get("/en/search/", **cookie).status_code == 200
    with transaction.atomic():
        # The admin reads the session to know who asks: an anonymous visitor is sent to log in.
        assert client.get("/admin/", **cookie).status_code == 302
