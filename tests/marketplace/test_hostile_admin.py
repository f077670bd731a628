"""Hostile input in the admin (listing filters, searches, POSTed ids), the inquiry forms and the
agency's downloads: a message or an error page, never a 500 (issue 9)."""

import io
from urllib.parse import urlencode

import openpyxl
import pytest

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from catalogue.models import Certification
from marketplace.inquiries.models import Inquiry
from marketplace.records.models import HeldRow
from tests.factories import certified_product
from tests.marketplace.fair_helpers import fair_index, make_fair
from tests.marketplace.inquiry_helpers import product_form, product_url, sourcing_form
from tests.test_hostile_input import HUGE

pytestmark = pytest.mark.django_db

# Fewer than on the public pages: an admin listing costs ten times a search page.
ADMIN_HOSTILE = ["²", "٣", HUGE, "9" * 30, "\x00", "a\x00b", "INQ-2026-²", f"INQ-2026-{HUGE}"]
DECISION = {"decision_number": "1567/QĐ-UBND", "signed_on": "15/10/2025", "issuing_body": "UBND tỉnh Đồng Tháp"}


@pytest.fixture
def inquiry(buyer, page_a, user_a):
    # Control characters are allowed in a message (only NUL is refused); the downloads must cope.
    buyer.post(product_url(page_a), product_form(message="500 bottles\x01\x02 please\x0b=1+1"))
    return Inquiry.objects.get()


def request(method, client, url, data=None):
    cache.clear()  # the inquiry forms' rate limits count every POST
    with transaction.atomic():
        return getattr(client, method)(url, data or {})


def preview_token(client, row):
    """Upload a one-row annex for the decision above; the dry run's token confirms it."""
    upload = SimpleUploadedFile("a.csv", f"STT,Tên sản phẩm,Tên chủ thể,Phân nhóm,Hạng sao\n{row}\n".encode())
    preview = client.post(reverse("marketplace_import_decisions"), {**DECISION, "file": upload}).content.decode()
    return preview.split('name="token" value="')[1].split('"')[0]


def admin_listings(index_pk, inquiry_pk):
    return [
        (reverse("marketplace_inquiries"), ["q", "status", "page"]),
        (reverse("marketplace_inquiries_export"), ["q", "status", "format"]),
        (reverse("marketplace_inquiry_route", args=[inquiry_pk]), ["q"]),
        (reverse("marketplace_held_rows"), ["batch"]),
        (reverse("marketplace_held_rows_download", args=["csv"]), ["batch"]),
        ("/admin/snippets/catalogue/certification/", ["q", "stars", "status", "province", "expires_on_after", "p"]),
        ("/admin/snippets/catalogue/producer/", ["q", "province", "legal_form", "p"]),
        ("/admin/snippets/catalogue/province/", ["q", "era", "p"]),
        (f"/admin/pages/{index_pk}/", ["q", "p", "producer", "province", "category", "stars", "record_status"]),
        ("/admin/pages/search/", ["q", "p"]),
    ]


# Over 10 s: each listing parameter of each admin listing, every hostile value in turn.
def test_no_admin_listing_parameter_gives_a_500(client, agency, inquiry, product_index):
    client.force_login(agency)
    for url, names in admin_listings(product_index.pk, inquiry.pk):
        for name in names:
            for value in ADMIN_HOSTILE:
                response = request("get", client, url, {name: value})
                assert response.status_code < 500, (url, name, value[:20])


def test_the_inbox_search_reads_a_reference_strictly(client, agency, inquiry):
    client.force_login(agency)
    inbox = reverse("marketplace_inquiries")
    assert inquiry.reference in request("get", client, inbox, {"q": inquiry.reference}).content.decode()
    for q in ["INQ-2026-²", "An\x00na", "INQ-2026-99999999999999999999"]:
        response = request("get", client, inbox, {"q": q})
        assert response.status_code == 200 and inquiry.reference not in response.content.decode()
    # NUL counts as a space, as in every other search box.
    assert inquiry.reference in request("get", client, inbox, {"q": "Anna\x00"}).content.decode()


def test_admin_search_of_records_and_producers_answers_on_every_database(client, agency, product_index):
    # Wagtail's SQLite full-text backend fails when a listing names its search fields (wagtail#10217).
    certified_product(product_index, title="Nước mắm Nam Ô", producer__name="Công ty Nam Ô")
    client.force_login(agency)
    records = request("get", client, "/admin/snippets/catalogue/certification/", {"q": "Nam"})
    assert records.status_code == 200 and "Nước mắm Nam Ô" in records.content.decode()
    producers = request("get", client, "/admin/snippets/catalogue/producer/", {"q": "Nam Ô"})
    assert producers.status_code == 200 and "Công ty Nam Ô" in producers.content.decode()


def test_posted_ids_are_read_strictly(client, agency, inquiry):
    client.force_login(agency)
    route = reverse("marketplace_inquiry_route", args=[inquiry.pk])
    recipients = set(inquiry.recipients.all())
    for value in ["²", HUGE, "99999999999999999999", "\x00"]:
        response = request("post", client, route, {"producer": value})
        assert response.status_code == 302 and set(inquiry.recipients.all()) == recipients
        refused = request("post", client, reverse("marketplace_inquiry_notifications"), {"notification": value})
        assert refused.status_code in (302, 403)  # Wagtail sends a refused admin request to the dashboard


def test_confirming_an_import_ignores_malformed_near_match_choices(client, agency):
    client.force_login(agency)
    token = preview_token(client, "1,Mắm,HTX A,1.4.a,4")
    data = {"token": token, "producer-²": "1", "producer-2": "²", f"producer-{HUGE}": HUGE, "producer-3": "9" * 30}
    with transaction.atomic():
        # Form-encoded: a multipart body refuses a 5,000-character field name before any view runs.
        response = client.post(
            reverse("marketplace_import_decisions"), urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    assert response.status_code == 302 and Certification.objects.get().product_name == "Mắm"


def test_downloads_drop_control_characters_that_xlsx_cannot_hold(client, agency, inquiry):
    client.force_login(agency)
    response = request("get", client, reverse("marketplace_inquiries_export"), {"status": "all", "format": "xlsx"})
    assert response.status_code == 200
    cells = [c.value for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
    assert "500 bottles please=1+1" in cells

    client.post(reverse("marketplace_import_decisions"), {"token": preview_token(client, "1,Mắm\x01,HTX A,,4")})
    assert HeldRow.objects.filter(status="held").exists()
    download = request("get", client, reverse("marketplace_held_rows_download", args=["xlsx"]))
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert "Mắm" in [c.value for c in sheet[2]]


@pytest.mark.parametrize("field", ["quantity", "target_price", "wanted_by", "unit", "country", "incoterm", "currency"])
def test_numbers_and_nul_in_the_quotation_form_are_form_errors(buyer, page_a, field):
    for value in ["²", "٣", HUGE, "9" * 30, "1e999999", "NaN", "\x00", "12\x00"]:
        response = request("post", buyer, product_url(page_a), product_form(**{field: value}))
        assert response.status_code in (200, 302), (field, value[:20])
        if response.status_code == 200:
            assert field in response.context["form"].errors, (field, value[:20])


@pytest.mark.parametrize("field", ["min_stars", "category_slug", "province_slug", "quality", "quantity"])
def test_numbers_and_nul_in_the_sourcing_form_are_form_errors(buyer, roles, field):
    for value in ["²", "٣", HUGE, "9" * 30, "\x00", "condiments\x00"]:
        response = request("post", buyer, reverse("inquiries:sourcing"), sourcing_form(**{field: value}))
        assert response.status_code in (200, 302), (field, value[:20])  # Django reads "٣" as 3
        if response.status_code == 200:
            assert field in response.context["form"].errors, (field, value[:20])


def test_the_external_link_chooser_asks_for_a_missing_url(client, agency):
    # Wagtail 8.0's own view answers this POST with a 500 (config/wagtail_fixes.py).
    client.force_login(agency)
    response = client.post(reverse("wagtailadmin_choose_page_external_link"), {})
    assert response.status_code == 200
    assert response.json()["step"] == "external_link"
    response = client.post(
        reverse("wagtailadmin_choose_page_external_link"), {"external-link-chooser-url": "https://example.vn/"}
    )
    assert response.json()["step"] == "external_link_chosen"


def test_ids_in_fairs_orders_and_bulk_actions_are_read_strictly(client, agency, user_a, page_a, page_b):
    # "²".isdigit() is True but int("²") fails: each of these was read with isdigit() + int().
    fair = make_fair(fair_index(page_a.get_parent().get_parent()))
    client.raise_request_exception = False
    client.force_login(agency)
    for value in ["²", "٣", HUGE]:
        assert client.get(reverse("marketplace_sample_orders"), {"q": value}).status_code == 200
        assert client.get(reverse("marketplace_fair_exhibitors"), {"fair": value}).status_code == 200
        apply = reverse("marketplace_fair_apply", args=[fair.pk])
        assert client.get(apply, {"producer": value}).status_code == 200
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    for user in (agency, user_a):
        client.force_login(user)
        for value in ["²", HUGE]:
            assert client.get(bulk, {"id": [value, page_a.pk]}).status_code == 404
        assert client.get(bulk, {"id": [page_a.pk]}).status_code == 200
