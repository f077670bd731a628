"""The catalogue is editable in the Wagtail admin, with useful list filters."""

import datetime

import pytest

from django.urls import reverse

from catalogue.models import Certification
from tests.factories import CertificationFactory, ProducerFactory, certified_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("agency", "agency@example.vn", "pw")
    client.force_login(user)
    return client


def test_certification_list_filters(staff_client, product_index):
    valid = certified_product(product_index, stars=5, slug="valid").certifications.get()
    expired = certified_product(product_index, stars=3, signed_on=datetime.date(2022, 2, 1), slug="old")
    url = reverse("wagtailsnippets_catalogue_certification:list")
    html = staff_client.get(url, {"status": "expired"}).content.decode()
    assert expired.title in html and valid.product_name not in html
    html = staff_client.get(url, {"stars": "5"}).content.decode()
    assert valid.product_name in html and expired.title not in html
    html = staff_client.get(url, {"expires_on_from": "2025-01-01", "expires_on_to": "2025-12-31"}).content.decode()
    assert expired.title in html and valid.product_name not in html
    assert staff_client.get(url, {"province": "1"}).status_code == 200


def test_product_listing_filters(staff_client, product_index):
    hanoi = certified_product(product_index, slug="hanoi-product", title="Gốm Bát Tràng")
    danang = certified_product(
        product_index, slug="danang-product", title="Đèn lồng Hội An", producer=ProducerFactory(province=_p("da-nang"))
    )
    url = reverse("products:index")
    html = staff_client.get(url, {"province": str(danang.province_id)}).content.decode()
    assert danang.title in html and hanoi.title not in html


def test_agency_records_a_decision_and_expiry_is_computed(staff_client, product_index):
    page = certified_product(product_index, slug="tea")
    url = reverse("wagtailsnippets_catalogue_certification:add")
    response = staff_client.post(
        url,
        {
            "product": page.pk,
            "product_name": page.title,
            "producer": page.producer_id,
            "producer_name": page.producer.name,
            "decision_number": "1590/QĐ-UBND",
            "signed_on": "2025-09-12",
            "issuing_body": "UBND thành phố Hà Nội",
            "recognition_level": "provincial",
            "recognition_type": "upgrade",
            "stars": "5",
            "score": "",
            "serial_number": "",
            "issued_address": "",
            "category_as_issued": "",
            "revocation_reason": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Certification.objects.get(decision_number="1590/QĐ-UBND")
    assert record.expires_on == datetime.date(2028, 9, 12)


def test_admin_rejects_an_inconsistent_record_with_a_form_error(staff_client, product_index):
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # asserts the English source strings
    record = CertificationFactory(product__parent=product_index)
    url = reverse("wagtailsnippets_catalogue_certification:edit", args=[record.pk])
    response = staff_client.post(
        url,
        {
            "product": record.product_id,
            "product_name": record.product_name,
            "producer_name": record.producer_name,
            "decision_number": record.decision_number,
            "signed_on": "2025-01-01",
            "issuing_body": record.issuing_body,
            "recognition_level": "provincial",
            "recognition_type": "first",
            "stars": "4",
            "score": "55",
            "revoked_on": "2025-06-01",
            "revocation_reason": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "scores 70–89 points" in html
    assert "Say why the certificate was revoked" in html
    record.refresh_from_db()
    assert record.revoked_on is None


def test_every_catalogue_listing_opens(staff_client, product_index):
    certified_product(product_index)
    for name in (
        "wagtailsnippets_catalogue_producer:list",
        "wagtailsnippets_catalogue_province:list",
        "wagtailsnippets_catalogue_category:list",
        "wagtailsnippets_catalogue_certification:list",
        "products:index",
    ):
        assert staff_client.get(reverse(name)).status_code == 200, name


def _p(slug):
    from catalogue.models import Province

    return Province.objects.current().get(slug=slug)


def test_product_listing_filters_by_current_stars_and_listing(staff_client, product_index):
    five = certified_product(product_index, stars=5, slug="five", title="Cà phê Buôn Ma Thuột")
    two = certified_product(product_index, stars=2, slug="two", title="Mứt gừng")
    url = reverse("products:index")
    html = staff_client.get(url, {"stars": "5"}).content.decode()
    assert five.title in html and two.title not in html
    html = staff_client.get(url, {"record_status": "hidden"}).content.decode()
    assert two.title in html and five.title not in html


def test_product_listing_query_count_does_not_grow_with_products(staff_client, product_index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert staff_client.get(reverse("products:index")).status_code == 200
        return len(ctx.captured_queries)

    certified_product(product_index)
    few = count_queries()
    for n in range(10):
        certified_product(product_index, producer=ProducerFactory(province=_p("hue")), slug=f"more-{n}")
    assert count_queries() <= few + 2
