"""Production lots: what a producer records in the admin (and what is refused), who sees which lots,
the public page in both languages across the product's certification states, and the exports."""

import datetime
import json

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalogue import purging
from marketplace.lots.demo import load_demo_lots
from marketplace.lots.identifiers import validate_gtin
from marketplace.lots.models import Lot
from tests.factories import CertificationFactory, certified_product
from tests.marketplace.lot_helpers import lot_form, make_lot

ADD = "lot_admin:add"


def test_gtin_check_digit():
    validate_gtin("8938505974194")
    validate_gtin("4006381333931")
    for wrong in ("8938505974195", "4006381333932", "12345", "89385059741x4", "²" * 13):
        with pytest.raises(Exception, match="GTIN"):
            validate_gtin(wrong)


def test_producer_records_a_lot_with_its_origin_steps_and_a_test_report(client, user_a, page_a):
    client.force_login(user_a)
    report = SimpleUploadedFile("histamine.pdf", b"%PDF-1.4 test report", content_type="application/pdf")
    data = lot_form(page_a, documents=[{"kind": "test_result", "title": "Histamine, Quatest 3", "upload": ""}])
    data["documents-0-upload"] = report
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    lot = Lot.objects.get(product=page_a)
    assert lot.gtin == "8938505974194"  # spaces typed from the label are dropped
    material = lot.materials.get()
    # What was typed without diacritics is kept by the ward's official name and code.
    assert (material.ward, material.ward_code) == ("Phường Hải Châu", "20242")
    assert [s.name for s in lot.steps.all()] == ["Ủ chượp", "Đóng chai"]
    document = lot.documents.get()
    assert document.document.title == "Histamine, Quatest 3"
    assert document.document.file.read() == b"%PDF-1.4 test report"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("gtin", "8938505974195", "check digit"),
        ("site_gln", "8938505970005", "check digit"),
        ("code", "Lô 1", "no spaces"),
        ("best_before", "2020-01-01", "must come after the production date"),
        ("produced_on", "2999-01-01", "cannot be in the future"),
        ("steps-0-ended_on", "2000-01-01", "cannot end before it starts"),
        ("materials-0-ward", "Phường Không Có", "is not a commune or ward of Đà Nẵng"),
        ("quantity", "-3", "greater than or equal to 0.001"),
    ],
)
def test_bad_values_are_refused_with_a_message(client, user_a, page_a, field, value, message):
    client.force_login(user_a)
    response = client.post(reverse(ADD), lot_form(page_a, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Lot.objects.exists()


def test_a_lot_code_is_unique_per_product(client, user_a, page_a, product_index, producer_a):
    make_lot(page_a, code="NM2026-040")
    client.force_login(user_a)
    response = client.post(reverse(ADD), lot_form(page_a))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    # The same code on another product is another lot.
    other = certified_product(product_index, producer=producer_a, title="Nước mắm nhĩ", slug="nuoc-mam-nhi")
    assert client.post(reverse(ADD), lot_form(other)).status_code == 302


def test_a_document_row_needs_a_file(client, user_a, page_a):
    client.force_login(user_a)
    data = lot_form(page_a, documents=[{"kind": "certificate", "title": "ISO 22000", "upload": ""}])
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert "Choose the file to upload." in response.content.decode()


def test_a_producer_lists_and_chooses_only_its_own(client, user_a, page_a, page_b):
    make_lot(page_a, code="A-1")
    make_lot(page_b, code="B-1")
    client.force_login(user_a)
    listing = client.get(reverse("lot_admin:index")).content.decode()
    assert "A-1" in listing and "B-1" not in listing
    # Another producer's product is not among the choices, and cannot be posted.
    form = client.get(reverse(ADD)).content.decode()
    assert page_a.title in form and page_b.title not in form
    response = client.post(reverse(ADD), lot_form(page_b, code="B-2"))
    assert response.status_code == 200 and not Lot.objects.filter(code="B-2").exists()


def test_another_producers_lot_is_not_found(client, user_a, page_a, page_b):
    lot_a, lot_b = make_lot(page_a, code="A-1"), make_lot(page_b, code="B-1")
    client.force_login(user_a)
    for name in ("edit", "delete", "history", "usage"):
        assert client.get(reverse(f"lot_admin:{name}", args=[lot_a.pk])).status_code == 200, name
    for name in ("edit", "delete", "history", "usage"):
        assert client.get(reverse(f"lot_admin:{name}", args=[lot_b.pk])).status_code == 404, name
    assert client.post(reverse("lot_admin:delete", args=[lot_b.pk])).status_code == 404
    assert Lot.objects.filter(pk=lot_b.pk).exists()
    # An edit of one's own lot cannot move it to another producer's product.
    client.post(reverse("lot_admin:edit", args=[lot_a.pk]), lot_form(page_b, code="A-1"))
    lot_a.refresh_from_db()
    assert lot_a.product_id == page_a.pk


def test_the_agency_sees_and_edits_every_lot(client, agency, page_a, page_b):
    make_lot(page_a, code="A-1")
    lot_b = make_lot(page_b, code="B-1")
    client.force_login(agency)
    listing = client.get(reverse("lot_admin:index")).content.decode()
    assert "A-1" in listing and "B-1" in listing
    assert client.get(reverse("lot_admin:edit", args=[lot_b.pk])).status_code == 200


def _product_in(state, index, producer):
    today = timezone.localdate()
    if state == "valid":
        return certified_product(index, producer=producer, title="Nước mắm Cửa Khe", slug="valid")
    if state == "expired":
        signed = today - datetime.timedelta(days=3 * 366 + 10)
        return certified_product(index, producer=producer, title="Nước mắm Cửa Khe", slug="expired", signed_on=signed)
    return certified_product(
        index,
        producer=producer,
        title="Nước mắm Cửa Khe",
        slug="revoked",
        revoked_on=today - datetime.timedelta(days=2),
    )


@pytest.mark.parametrize(
    ("state", "vietnamese", "english"),
    [
        ("valid", "ĐƯỢC CHỨNG NHẬN HÔM NAY", "CERTIFIED TODAY"),
        ("expired", "ĐÃ HẾT HẠN", "EXPIRED on"),
        ("revoked", "ĐÃ BỊ THU HỒI", "REVOKED on"),
    ],
)
def test_the_lot_page_says_the_certificate_as_of_today_in_both_languages(
    client, product_index, producer_a, state, vietnamese, english
):
    product = _product_in(state, product_index, producer_a)
    lot = make_lot(product, produced_on=timezone.localdate() - datetime.timedelta(days=3 * 366 + 40))
    record = product.certifications.get()
    vi = client.get(f"/vi/lots/{lot.pk}/")
    en = client.get(f"/en/lots/{lot.pk}/")
    assert vi.status_code == en.status_code == 200
    assert vietnamese in vi.content.decode() and english in en.content.decode()
    for response in (vi, en):
        html = response.content.decode()
        assert f"status-banner status-{state}" in html
        assert "NM2026-031" in html and "Cá cơm than" in html and "Xã Bình Sơn" in html
        assert "Ủ chượp" in html.split("Đóng chai")[0]  # the steps in their order
        assert record.decision_number in html  # the history stays
        assert producer_a.name in html
    if state != "valid":
        assert "no longer listed" in en.content.decode()
    # Cacheable like every anonymous page, and purged with the product's records.
    assert "s-maxage" in en["Cache-Control"] and "public" in en["Cache-Control"]


def test_a_lot_scanned_after_a_later_decision_names_the_one_in_force_when_it_was_made(
    client, product_index, producer_a
):
    today = timezone.localdate()
    product = certified_product(
        product_index, producer=producer_a, slug="renewed", signed_on=today - datetime.timedelta(days=500)
    )
    first = product.certifications.get()
    CertificationFactory(product=product, stars=5, signed_on=today - datetime.timedelta(days=30))
    lot = make_lot(product, produced_on=today - datetime.timedelta(days=200))
    html = client.get(f"/en/lots/{lot.pk}/").content.decode()
    assert "CERTIFIED TODAY" in html and "5★" in html
    assert f"decision {first.decision_number}</a> (4★)" in html


def test_the_qr_label_and_code_name_the_unprefixed_address(client, page_a):
    lot = make_lot(page_a)
    label = client.get(f"/vi/lots/{lot.pk}/label/")
    assert label.status_code == 200 and "<svg" in label.content.decode()
    assert f"http://testserver/lots/{lot.pk}/" in label.content.decode()
    qr = client.get(f"/en/lots/{lot.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    # The unprefixed address sends the scanner to its own language.
    assert client.get(f"/lots/{lot.pk}/", HTTP_ACCEPT_LANGUAGE="en").url == f"/en/lots/{lot.pk}/"


def test_the_json_export(client, page_a):
    lot = make_lot(page_a)
    record = page_a.certifications.get()
    response = client.get(f"/en/lots/{lot.pk}/lot.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["url"] == f"http://testserver/lots/{lot.pk}/"
    assert data["lot"]["code"] == "NM2026-031"
    assert data["lot"]["gs1_digital_link"] == "https://id.gs1.org/01/08938505974194/10/NM2026-031"
    assert data["lot"]["quantity"] == "1200" and data["lot"]["unit"] == "LTR"
    assert data["materials"][0]["ward"] == "Xã Bình Sơn" and data["materials"][0]["province_code"] == 51
    assert [s["name"] for s in data["steps"]] == ["Ủ chượp", "Đóng chai"]
    assert data["certification"]["today"]["decision_number"] == record.decision_number
    assert data["certification"]["today"]["status"] == "valid"
    assert data["product"]["listed"] is True


def test_the_epcis_export(client, page_a):
    lot = make_lot(page_a)
    response = client.get(f"/vi/lots/{lot.pk}/epcis.jsonld")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    document = json.loads(response.content)
    assert document["type"] == "EPCISDocument" and document["schemaVersion"] == "2.0"
    events = document["epcisBody"]["eventList"]
    assert events[0]["bizStep"] == "commissioning" and events[0]["action"] == "ADD"
    assert events[0]["quantityList"][0] == {
        "epcClass": "https://id.gs1.org/01/08938505974194/10/NM2026-031",
        "quantity": 1200.0,
        "uom": "LTR",
    }
    assert events[0]["bizLocation"] == {"id": "https://id.gs1.org/414/8938505970004"}
    assert [e["ocop:step"]["name"] for e in events[1:]] == ["Ủ chượp", "Đóng chai"]


def test_the_product_page_links_its_lots(client, page_a):
    lot = make_lot(page_a)
    html = client.get(page_a.url.replace("/vi/", "/en/") if page_a.url.startswith("/vi/") else page_a.url).content
    html = html.decode()
    assert "Lots and traceability" in html or "Lô sản xuất và truy xuất nguồn gốc" in html
    assert f"/lots/{lot.pk}/" in html


def test_lot_pages_are_purged_with_their_products_records(page_a, settings):
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {"BACKEND": "catalogue.purging.PurgeBackend", "LOCATION": "http://127.0.0.1:1"}
    }
    lot = make_lot(page_a)
    paths = purging.resolve(products=[page_a.pk])
    assert {f"/vi/lots/{lot.pk}/", f"/en/lots/{lot.pk}/", f"/lots/{lot.pk}/", f"/en/lots/{lot.pk}/lot.json"} <= paths


@pytest.mark.parametrize(
    "path", ["/vi/lots/999999/", "/en/lots/99999999999999999999999/", "/vi/lots/1/label/", "/en/lots/0/lot.json"]
)
def test_unknown_lots_are_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_the_demo_lot(producer_a, page_a):
    lot = load_demo_lots(producer_a)
    assert lot.product == page_a and lot.code == "BT2026-045"
    assert all(len(m.ward_code) == 5 for m in lot.materials.all())
    assert lot.steps.count() == 5 and lot.documents.get().document.file.size > 0
    # A second run creates nothing new.
    assert load_demo_lots(producer_a) == lot and Lot.objects.count() == 1
