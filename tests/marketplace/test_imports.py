"""Importing certification decisions: dry run, import, idempotence, all-or-nothing, legacy provinces."""

import datetime
from pathlib import Path

import pytest
import tablib

from django.urls import reverse

from wagtail.models import ModelLogEntry, PageLogEntry

from catalogue.models import Certification, Producer, ProductPage
from marketplace.records.annexes.importer import import_decisions
from marketplace.records.models import HeldRow

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "marketplace" / "records" / "examples"
HEADER = "producer,legal form,address,province,product name,sub-group,stars,decision number,issuing body,signing date\n"


def csv(*rows):
    return (HEADER + "\n".join(rows) + "\n").encode()


def counts():
    return Producer.objects.count(), ProductPage.objects.count(), Certification.objects.count()


def test_dry_run_reports_and_writes_nothing(roles, agency):
    before = counts()
    report = import_decisions((SAMPLES / "decisions-sample.csv").read_bytes(), "decisions-sample.csv", agency)
    assert report.dry_run and not report.committed and not report.errors
    assert len(report.rows) == 8
    assert report.count("producer", "created") == 7  # one cooperative holds two products
    assert report.count("product", "created") == 8
    assert counts() == before


def test_import_creates_producers_draft_products_and_records(roles, agency):
    content = (SAMPLES / "decisions-sample.csv").read_bytes()
    report = import_decisions(content, "decisions-sample.csv", agency, dry_run=False)
    assert report.committed, report.errors
    assert report.summary.startswith("8 rows: 7 producers created; 8 draft products created; 8 records created")

    honey = ProductPage.objects.get(title="Mật ong rừng Tiên Phước")
    assert not honey.live  # a draft for the producer to complete, not published
    assert honey.category.code == "1.2.b"
    assert honey.producer.legal_form == Producer.LegalForm.COOPERATIVE
    record = honey.certifications.get()
    assert (record.decision_number, record.stars, record.signed_on) == ("1425/QĐ-UBND", 4, datetime.date(2024, 6, 12))
    assert record.expires_on == datetime.date(2027, 6, 12)
    assert record.recognition_level == Certification.Level.PROVINCIAL
    # Quảng Nam merged into Đà Nẵng: the record keeps the province as issued.
    assert record.legacy_province.name == "Quảng Nam"
    assert honey.producer.province.name == "Đà Nẵng"
    assert record.issued_address == "Thôn 3, xã Tiên Cẩm, huyện Tiên Phước"

    fish_sauce = Certification.objects.get(decision_number="1590/QĐ-BNN-KTHT")
    assert fish_sauce.recognition_level == Certification.Level.NATIONAL
    assert fish_sauce.producer.province.name == "Lâm Đồng"
    banh_chung = Certification.objects.get(product_name="Bánh chưng Cổ Loa")
    assert banh_chung.recognition_level == Certification.Level.DISTRICT
    assert banh_chung.product.category.code == "1.3.b"  # from the Vietnamese sub-group name
    tea = Certification.objects.get(product_name="Chè búp Tân Cương đặc biệt")
    assert tea.legacy_province is None and tea.signed_on == datetime.date(2025, 9, 18)
    assert Producer.objects.get(name="Tổ hợp tác dệt thổ cẩm Bản Lác").legal_form == "cooperative_group"


def test_same_file_twice_changes_nothing(roles, agency):
    content = (SAMPLES / "decisions-sample.csv").read_bytes()
    import_decisions(content, "decisions-sample.csv", agency, dry_run=False)
    before = counts(), ModelLogEntry.objects.count(), PageLogEntry.objects.count()
    report = import_decisions(content, "decisions-sample.csv", agency, dry_run=False)
    assert report.committed
    assert all(not row.changed for row in report.rows)
    assert (counts(), ModelLogEntry.objects.count(), PageLogEntry.objects.count()) == before


def test_xlsx_sample_matches_the_csv(roles, agency):
    content = (SAMPLES / "decisions-sample.xlsx").read_bytes()
    report = import_decisions(content, "decisions-sample.xlsx", agency, dry_run=False)
    assert report.committed and len(report.rows) == 8
    assert Certification.objects.get(decision_number="2150/QĐ-UBND").signed_on == datetime.date(2023, 12, 20)
    # The CSV names the same decisions: nothing new.
    again = import_decisions((SAMPLES / "decisions-sample.csv").read_bytes(), "decisions-sample.csv", agency, False)
    assert all(not row.changed for row in again.rows)


def test_a_bad_row_blocks_only_itself_and_is_kept_with_its_reasons(roles, agency):
    content = csv(
        "HTX Gạo Séng Cù,Hợp tác xã,Xã Mường Vi,Lào Cai,Gạo Séng Cù,1.2.a,4,1210/QĐ-UBND,UBND tỉnh Lào Cai,03/10/2025",
        "HTX Sâm Ngọc Linh,Hợp tác xã,Xã Trà Linh,Quảng Nom,Sâm Ngọc Linh,3.1,7,88/QĐ-UBND,UBND tỉnh QN,31/02/2024",
        "Cơ sở Bánh tráng Đại Lộc,Công ty,,Quảng Nam,Bánh tráng Đại Lộc,1.3.b,3,55/QĐ-UBND,UBND tỉnh QN,02/09/2025",
    )
    report = import_decisions(content, "bad.csv", agency, dry_run=False)
    assert report.committed
    good, bad, merged = report.rows
    assert good.ok and good.record == "created"
    assert Certification.objects.get().decision_number == "1210/QĐ-UBND"  # the good row imported
    assert any("Stars “7” should be a number from 3 to 5" in e or "7★" in e for e in bad.errors)
    assert any("signing date “31/02/2024” is not a date" in e for e in bad.errors)
    assert any("became part of Đà Nẵng" in e for e in merged.errors)
    held = {row.line: row for row in HeldRow.objects.all()}
    assert sorted(held) == [3, 4] and {row.problem for row in held.values()} == {"error"}
    assert held[3].values["province"] == "Quảng Nom" and held[3].reasons == bad.errors


def test_legacy_province_after_the_merger_is_refused(roles, agency):
    report = import_decisions(
        csv("HTX Quế Trà My,Hợp tác xã,Xã Trà My,Quảng Nam,Quế Trà My,3.3,4,901/QĐ-UBND,UBND TP Đà Nẵng,02/09/2025"),
        "x.csv",
        agency,
    )
    (row,) = report.rows
    assert "became part of Đà Nẵng on 1 July 2025" in row.errors[0]


def test_unknown_subgroup_and_low_stars_are_explained(roles, agency):
    report = import_decisions(
        csv("HTX Rau sạch,HTX,Xã Văn Đức,Hà Nội,Rau cải,9.9,2,12/QĐ-UBND,UBND TP Hà Nội,2025-08-01"), "x.csv", agency
    )
    errors = " ".join(report.rows[0].errors)
    assert "“9.9” is not an OCOP sub-group" in errors
    assert "2★ is not an OCOP certificate" in errors


def test_vietnamese_headers_semicolons_and_a_changed_row_update_the_record(roles, agency):
    header = "Chủ thể;Loại hình;Địa chỉ;Tỉnh;Tên sản phẩm;Phân nhóm;Hạng sao;Số quyết định;Cơ quan ban hành;Ngày ký\n"
    row = (
        "HTX Mắm Cửa Khe;Hợp tác xã;Thôn Cửa Khe;Huế;Mắm ruốc Cửa Khe;sauces-fish-sauce;{};"
        "1002/QĐ-UBND;UBND TP Huế;15/08/2025\n"
    )
    import_decisions((header + row.format(3)).encode(), "hue.csv", agency, dry_run=False)
    record = Certification.objects.get(decision_number="1002/QĐ-UBND")
    assert record.stars == 3
    report = import_decisions((header + row.format("4 sao")).encode(), "hue.csv", agency, dry_run=False)
    assert report.rows[0].record == "updated"
    record.refresh_from_db()
    assert record.stars == 4
    assert record.revisions.count() == 2
    assert [e.action for e in ModelLogEntry.objects.for_instance(record).order_by("timestamp")] == [
        "wagtail.create",
        "wagtail.edit",
    ]


def test_headers_provinces_and_sub_groups_match_however_they_are_punctuated(roles, agency):
    header = (
        "Chủ thể;Loại hình;Địa chỉ;Tỉnh/Thành phố:;Tên sản phẩm;Phân nhóm;Hạng sao;Số quyết định;"
        "Cơ quan ban hành;Ngày ký\n"
    )
    rows = (
        "HTX Cà phê Cầu Đất;Hợp tác xã;Xã Xuân Trường;TP. Hồ Chí Minh;Cà phê Cầu Đất;1.6.;4;77/QĐ-UBND;"
        "UBND TP Hồ Chí Minh;01/08/2025\n"
        "HTX Gạo Mỹ Xuyên;HTX;Xã Mỹ Xuyên;tinh soc-trang;Gạo ST25;Gạo, ngũ cốc và sản phẩm sơ chế khác;5;9/QĐ-BNN;"
        "Bộ Nông nghiệp;01/03/2024\n"
    )
    report = import_decisions((header + rows).encode(), "punctuated.csv", agency, dry_run=False)
    assert not report.errors, [r.errors for r in report.rows]
    coffee = ProductPage.objects.get(title="Cà phê Cầu Đất")
    assert (coffee.province.slug, coffee.category.code) == ("ho-chi-minh", "1.6")
    rice = Certification.objects.get(decision_number="9/QĐ-BNN")
    assert (rice.legacy_province.name, rice.product.province.name, rice.product.category.code) == (
        "Sóc Trăng",
        "Cần Thơ",
        "1.2.a",
    )


def test_missing_columns_are_named(roles, agency):
    from marketplace.records.annexes.errors import FileError

    with pytest.raises(FileError, match="missing: stars, decision number"):
        import_decisions(b"producer,legal form,address,province,product name,sub-group\n", "x.csv", agency)


def test_imports_write_history_with_the_importing_user(roles, agency):
    import_decisions((SAMPLES / "decisions-sample.csv").read_bytes(), "decisions-sample.csv", agency, dry_run=False)
    record = Certification.objects.get(decision_number="2150/QĐ-UBND")
    entry = ModelLogEntry.objects.for_instance(record).get()
    assert (entry.action, entry.user) == ("wagtail.create", agency)
    assert record.revisions.get().user == agency
    page = record.product
    assert PageLogEntry.objects.filter(page=page, action="wagtail.create", user=agency).exists()


def test_admin_upload_preview_confirm(client, agency):
    client.force_login(agency)
    url = reverse("marketplace_import_decisions")
    assert client.get(url).status_code == 200
    with open(SAMPLES / "decisions-sample.xlsx", "rb") as handle:
        preview = client.post(url, {"file": handle})
    html = preview.content.decode()
    assert "Dry run of decisions-sample.xlsx: nothing written yet" in html
    assert "Quảng Nam → Đà Nẵng" in html
    assert Certification.objects.count() == 0
    token = preview.context["token"]
    done = client.post(url, {"token": token}, follow=True)
    assert "Imported decisions-sample.xlsx: 8 rows" in done.content.decode()
    assert Certification.objects.count() == 8
    # The preview cannot be confirmed twice.
    client.post(url, {"token": token})
    assert Certification.objects.count() == 8


def test_admin_preview_shows_row_errors_and_confirming_holds_the_row(client, agency):
    client.force_login(agency)
    data = tablib.Dataset(headers=HEADER.strip().split(","))
    data.append(["HTX A", "HTX", "Xã B", "Atlantis", "Mắm", "1.4.a", 4, "1/QĐ-UBND", "UBND tỉnh", "01/01/2025"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.xlsx", data.export("xlsx"))
    html = client.post(reverse("marketplace_import_decisions"), {"file": upload}).content.decode()
    assert "The province “Atlantis” is not a Vietnamese province" in html
    assert "import-row-error" in html
    # Confirming keeps the wrong row as a held row and writes no record.
    client.post(reverse("marketplace_import_decisions"), {"token": preview_token(html)})
    assert Certification.objects.count() == 0
    assert HeldRow.objects.get().values["province"] == "Atlantis"


def preview_token(html):
    import re

    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def test_import_command(roles, capsys):
    from django.core.management import call_command

    call_command("import_decisions", str(SAMPLES / "decisions-sample.csv"))
    assert "dry run, nothing written" in capsys.readouterr().out
    call_command("import_decisions", str(SAMPLES / "decisions-sample.csv"), "--commit")
    assert "imported" in capsys.readouterr().out
    assert Certification.objects.count() == 8


def test_imported_draft_opens_for_its_producer_and_no_one_else(client, roles, agency):
    from tests.factories import ProducerFactory, producer_user

    import_decisions((SAMPLES / "decisions-sample.csv").read_bytes(), "decisions-sample.csv", agency, dry_run=False)
    honey = ProductPage.objects.get(title="Mật ong rừng Tiên Phước")
    owner = producer_user(honey.producer, email="tienphuoc@example.vn")
    client.force_login(owner)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[honey.pk])).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:view_draft", args=[honey.pk])).status_code == 200
    stranger = producer_user(ProducerFactory(), email="other@example.vn")
    client.force_login(stranger)
    assert (
        client.get(reverse("wagtailadmin_pages:edit", args=[honey.pk])).status_code == 404
    )  # catalogue.middleware: named out of scope
