import datetime

import pytest

from django.utils import timezone

from catalogue.models import QualityCertification
from tests.factories import CertificationFactory, certified_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def fish_sauce(product_index):
    page = certified_product(
        product_index,
        stars=5,
        title="Nước mắm Phú Quốc",
        name_en="Phu Quoc fish sauce",
        slug="nuoc-mam-phu-quoc",
        sample_available=True,
        sample_price_vnd=150000,
        hs_code="2103.90",
        export_markets=["JP", "KR"],
    )
    QualityCertification.objects.create(page=page, scheme="haccp", issuer="QUACERT", held_by="producer")
    return page


def test_products_list_shape(client, fish_sauce):
    body = client.get("/api/v1/products/").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == "nuoc-mam-phu-quoc"
    assert item["name"] == "Nước mắm Phú Quốc"
    assert item["name_en"] == "Phu Quoc fish sauce"
    assert item["url"].endswith("/vi/products/nuoc-mam-phu-quoc/")
    assert item["stars"] == 5
    assert item["province"]["slug"] == "ha-noi" and item["province"]["era"] == "current"
    assert item["category"]["code"] == "1.4.a" and item["category"]["parent"] == "condiments"
    assert item["producer"]["legal_form"] == "cooperative"
    assert item["producer"]["url"] == fish_sauce.producer.get_absolute_url()
    cert = item["certification"]
    assert cert["status"] == "valid"
    assert cert["stars"] == 5
    assert cert["url"] == f"/vi/certifications/{fish_sauce.certifications.get().pk}/"
    assert item["sample_available"] is True


def test_product_detail_shape(client, fish_sauce):
    body = client.get("/api/v1/products/nuoc-mam-phu-quoc/").json()
    assert body["hs_code"] == "2103.90"
    assert body["export_markets"] == ["JP", "KR"]
    assert body["sample_price_vnd"] == 150000
    assert body["quality_certifications"] == [
        {"scheme": "haccp", "issuer": "QUACERT", "expires_on": None, "held_by": "producer"}
    ]
    assert len(body["certification_history"]) == 1
    assert client.get("/api/v1/products/no-such-product/").status_code == 404


def test_certifications_list_all_records_with_status(client, fish_sauce, product_index):
    expired = certified_product(product_index, stars=3, signed_on=datetime.date(2022, 1, 5), slug="old")
    body = client.get("/api/v1/certifications/").json()
    assert body["count"] == 2
    by_product = {item["product_name"]: item for item in body["items"]}
    assert by_product[fish_sauce.title]["status"] == "valid"
    assert by_product[fish_sauce.title]["product"] == fish_sauce.slug
    old = by_product[expired.title]
    assert old["status"] == "expired"
    assert old["product"] is None  # not listed, so no link to it
    assert old["expires_on"] == "2025-01-05"
    only_expired = client.get("/api/v1/certifications/?status=expired").json()
    assert [i["product_name"] for i in only_expired["items"]] == [expired.title]
    assert client.get("/api/v1/certifications/?status=bogus").status_code == 400


def test_certification_search_ignores_diacritics(client, fish_sauce):
    body = client.get("/api/v1/certifications/?q=nuoc mam phu quoc").json()
    assert body["count"] == 1
    assert client.get("/api/v1/certifications/?q=xyz").json()["count"] == 0


def test_provinces_and_categories(client):
    provinces = client.get("/api/v1/provinces/").json()
    assert len(provinces) == 97
    quang_nam = next(p for p in provinces if p["slug"] == "quang-nam")
    assert quang_nam == {
        "code": 49,
        "era": "legacy",
        "slug": "quang-nam",
        "name": "Quảng Nam",
        "name_ascii": "Quang Nam",
        "successor": "da-nang",
    }
    assert len(client.get("/api/v1/provinces/?era=current").json()) == 34
    categories = client.get("/api/v1/categories/").json()
    assert len(categories) == 38
    assert {"code": "6", "slug": "community-tourism"}.items() <= categories[-1].items()


def test_products_filters(client, fish_sauce, product_index):
    certified_product(product_index, stars=3, slug="tea", category=_category("tea-leaves"))
    assert _slugs(client, "?stars=4") == {"nuoc-mam-phu-quoc"}
    assert _slugs(client, "?category=tea") == {"tea"}
    assert _slugs(client, "?category=food") == {"tea", "nuoc-mam-phu-quoc"}
    assert _slugs(client, "?province=ha-noi") == {"tea", "nuoc-mam-phu-quoc"}
    assert _slugs(client, "?province=da-nang") == set()


def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/products/", "/api/v1/certifications/", "/api/v1/provinces/", "/api/v1/categories/"} <= set(
        schema["paths"]
    )


def test_the_api_is_assembled_from_each_apps_router(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {path: sorted(op["operationId"] for op in ops.values()) for path, ops in schema["paths"].items()}
    # Operation ids name the view, not the app that holds it, so clients survive a move.
    assert operations == {
        "/api/v1/products/": ["list_products"],
        "/api/v1/products/{slug}/": ["get_product"],
        "/api/v1/certifications/": ["list_certifications"],
        "/api/v1/certifications/{pk}/": ["get_certification"],
        "/api/v1/provinces/": ["list_provinces"],
        "/api/v1/categories/": ["list_categories"],
    }
    assert schema["info"] == {
        "title": "OCOP Marketplace API",
        "version": "1",
        "description": "Read-only catalogue of OCOP-certified products (3★ and above) and their public records.",
    }
    assert client.get("/api/v1/docs").status_code == 200


def test_record_expiring_today_leaves_the_api(client, product_index):
    from dateutil.relativedelta import relativedelta

    page = certified_product(product_index, slug="soon")
    CertificationFactory(product=page, stars=4, signed_on=timezone.localdate() - relativedelta(months=36))
    page.certifications.exclude(signed_on=timezone.localdate() - relativedelta(months=36)).delete()
    assert client.get("/api/v1/products/soon/").status_code == 404


def _category(slug):
    from catalogue.models import Category

    return Category.objects.get(slug=slug)


def _slugs(client, query):
    return {item["slug"] for item in client.get(f"/api/v1/products/{query}").json()["items"]}
