"""Importing a decision as provinces publish it: the decision entered once, an annex with STT,
title and section rows, derived legal forms and provinces, held rows, producer matching."""

import datetime
import io
from pathlib import Path

import openpyxl
import pytest

from django.utils.translation import gettext as _

from wagtail.models import ModelLogEntry, PageLogEntry

from catalogue.models import Certification, Producer, ProductPage
from catalogue.text import fold
from marketplace.records.annexes.importer import import_decisions
from marketplace.records.annexes.matching import producer_key
from marketplace.records.annexes.rows import Decision
from marketplace.records.models import HeldRow
from tests.factories import ProducerFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "marketplace" / "records" / "examples"
DONG_THAP = Decision("1567/QĐ-UBND", datetime.date(2025, 10, 15), "UBND tỉnh Đồng Tháp")
HEADER = "STT,Tên sản phẩm,Tên chủ thể,Địa chỉ,Phân nhóm,Hạng sao\n"


def annex(*rows, header=HEADER):
    return (header + "\n".join(rows) + "\n").encode()


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def counts():
    return (
        Producer.objects.count(),
        ProductPage.objects.count(),
        Certification.objects.count(),
        HeldRow.objects.count(),
        ModelLogEntry.objects.count(),
        PageLogEntry.objects.count(),
    )


def by_line(report):
    return {row.line: row for row in report.rows}


def test_older_tone_marks_fold_the_same():
    assert fold("thuỷ") == fold("thủy") == "thuy"
    assert fold("Hoà Lộc") == fold("Hòa Lộc") == "hoa loc"
    assert fold("Khánh Hoà") == fold("KHÁNH HÒA")


def test_producer_names_compare_with_the_legal_form_written_one_way():
    same = [
        "Công ty cổ phần Thương mại Khải Hoàn",
        "Công ty Cổ phần thương mại Khải Hoàn",
        "CTCP Thương mại Khải Hoàn",
        "Công ty CP  Thương mại, Khải Hoàn",
    ]
    assert {producer_key(name) for name in same} == {"ctcp thuong mai khai hoan"}
    assert producer_key("Hợp tác xã Chè Tân Cương") == producer_key("HTX chè Tân Cương")
    assert producer_key("Công ty TNHH Kẹo dừa") == producer_key("Công ty trách nhiệm hữu hạn kẹo dừa")
    assert producer_key("Công ty TNHH Kẹo dừa") != producer_key("Công ty CP Kẹo dừa")


@pytest.mark.parametrize("sample", ["annex-sample.csv", "annex-sample.xlsx"])
def test_annex_as_published_imports_with_the_decision_entered_once(roles, agency, sample):
    content = (SAMPLES / sample).read_bytes()
    before = counts()
    preview = import_decisions(content, sample, agency, dry_run=True, decision=DONG_THAP)
    assert counts() == before
    rows = by_line(preview)
    assert len(rows) == 10
    states = {row.product_name: row.state for row in preview.rows}
    assert states == {
        "Xoài cát Hoà Lộc": "imported",
        "Bánh phồng tôm Sa Giang, loại đặc biệt": "imported",
        "Kẹo dừa “Cái Bè”": "incomplete",  # no sub-group
        "Nước mắm “Thuỷ Tiên”": "imported",  # no address: fine
        "Hủ tiếu Sa Đéc": "imported",
        "Sen sấy giòn Tháp Mười": "imported",
        "Trà mãng cầu": "incomplete",  # no producer
        "Mật ong hoa tràm": "incomplete",  # "Cơ sở" says no legal form
        "Bánh tráng Mỹ Lồng": "error",  # 2★
        "Mắm cá linh": "imported",
    }
    mango = next(r for r in preview.rows if r.product_name == "Xoài cát Hoà Lộc")
    assert mango.derived == {
        "legal form": "Cooperative (hợp tác xã) (from the producer's name)",
        "province": "Đồng Tháp (from the issuing body)",
    }
    honey = next(r for r in preview.rows if r.product_name == "Mật ong hoa tràm")
    assert honey.reasons == ["Missing: legal form."]

    report = import_decisions(content, sample, agency, dry_run=False, decision=DONG_THAP)
    assert report.committed and len(report.not_imported) == 4
    record = Certification.objects.get(product_name="Xoài cát Hoà Lộc")
    assert (record.decision_number, record.signed_on, record.issuing_body, record.stars) == (
        "1567/QĐ-UBND",
        datetime.date(2025, 10, 15),
        "UBND tỉnh Đồng Tháp",
        4,
    )
    assert record.recognition_level == Certification.Level.PROVINCIAL
    assert record.producer.province.name == "Đồng Tháp"
    assert record.producer.legal_form == Producer.LegalForm.COOPERATIVE
    # Two spellings of Khải Hoàn, one producer.
    khai_hoan = Producer.objects.filter(name__icontains="Khải Hoàn")
    assert khai_hoan.count() == 1 and khai_hoan.get().certifications.count() == 2
    assert Producer.objects.get(name="Tổ hợp tác sen Tháp Mười").legal_form == "cooperative_group"
    assert Producer.objects.get(name="Hộ kinh doanh Nguyễn Văn Thuỷ").legal_form == "household"
    held = {h.values.get("product_name"): h for h in HeldRow.objects.all()}
    assert set(held) == {"Kẹo dừa “Cái Bè”", "Trà mãng cầu", "Mật ong hoa tràm", "Bánh tráng Mỹ Lồng"}
    assert held["Bánh tráng Mỹ Lồng"].problem == "error"
    # Reasons are written in the active language, column names included.
    assert held["Trà mãng cầu"].reasons == [_("Missing: {what}.").format(what=_("producer"))]

    # The same file again changes nothing: no record, page, producer, held row or log entry.
    before = counts()
    again = import_decisions(content, sample, agency, dry_run=False, decision=DONG_THAP)
    assert all(not row.changed for row in again.rows if row.ok)
    assert counts() == before


def test_rows_may_carry_their_own_decision_and_it_wins(roles, agency):
    header = "STT,Tên sản phẩm,Chủ thể,Phân nhóm,Hạng sao,Số quyết định,Ngày ký\n"
    content = annex(
        "1,Mắm tôm chà,HTX Mắm Gò Công,1.4.a,3,,",
        "2,Khô cá dứa,HTX Mắm Gò Công,1.3.d,4,99/QĐ-UBND,01/03/2025",
        header=header,
    )
    report = import_decisions(content, "a.csv", agency, dry_run=False, decision=DONG_THAP)
    assert not report.not_imported, [r.reasons for r in report.rows]
    assert Certification.objects.get(product_name="Mắm tôm chà").decision_number == "1567/QĐ-UBND"
    dried = Certification.objects.get(product_name="Khô cá dứa")
    assert (dried.decision_number, dried.signed_on) == ("99/QĐ-UBND", datetime.date(2025, 3, 1))
    # Signed before the merger, under Đồng Tháp of the old map (Đồng Tháp 87): legacy province kept.
    assert dried.legacy_province.name == "Đồng Tháp"


def test_stars_from_section_headings_and_province_from_the_address(roles, agency):
    content = xlsx(
        [
            ["DANH SÁCH SẢN PHẨM OCOP"],
            [],
            ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Phân nhóm"],
            ["(1)", "(2)", "(3)", "(4)", "(5)"],
            ["I. Sản phẩm đạt 5 sao"],
            [1, "Nước mắm Phú Quốc", "Công ty TNHH Hưng Thành", "Dương Đông, tỉnh An Giang", "1.4.a"],
            ["II. Sản phẩm đạt 4 sao"],
            [2, "Tiêu Phú Quốc", "HTX Tiêu Phú Quốc", "Hàm Ninh, tỉnh An Giang", "1.4.b"],
        ]
    )
    ministry = Decision("88/QĐ-BNNMT", datetime.date(2025, 9, 1), "Bộ Nông nghiệp và Môi trường")
    report = import_decisions(content, "a.xlsx", agency, dry_run=False, decision=ministry)
    assert not report.not_imported, [r.reasons for r in report.rows]
    fish_sauce, pepper = report.rows
    assert fish_sauce.derived["stars"] == "5★ (from the section heading)"
    assert fish_sauce.derived["province"] == "An Giang (from the address)"
    assert Certification.objects.get(product_name="Tiêu Phú Quốc").stars == 4
    assert Certification.objects.get(product_name="Nước mắm Phú Quốc").recognition_level == "national"


def test_without_the_decision_the_decision_columns_are_required(roles, agency):
    from marketplace.records.annexes.errors import FileError

    with pytest.raises(FileError, match="missing: decision number, issuing body, signing date"):
        import_decisions(annex("1,Mắm,HTX A,1.4.a,3"), "a.csv", agency)


def test_cells_of_the_wrong_kind_are_row_errors_never_a_crash(roles, agency):
    content = xlsx(
        [
            ["STT", "Tên sản phẩm", "Chủ thể", "Phân nhóm", "Hạng sao", "Điểm"],
            [1, "Gạo ST25", True, "1.2.a", 4, None],
            [2, datetime.datetime(2025, 1, 1), "HTX Gạo", "1.2.a", 4, None],
            [3, "Gạo nếp", "HTX Nếp", "1.2.a", 1e300, None],
            [4, "Gạo lứt", "HTX Lứt", "1.2.a", 4, "9" * 5000],
            [5, 12345, "HTX Số", "1.2.a", 4, None],
            [6, "Gạo thơm", "HTX Thơm", "1.2.a", 4, None],
        ]
    )
    report = import_decisions(content, "bad.xlsx", agency, dry_run=False, decision=DONG_THAP)
    rows = by_line(report)
    assert _("The {column} cell holds a true/false value, not text.").format(column=_("producer")) in rows[2].errors
    assert "The product name cell holds a date, not text." in rows[3].errors
    assert rows[4].errors == ["The stars cell holds more than 255 characters."]
    assert rows[5].errors == ["The score cell holds more than 255 characters."]
    assert "The product name cell holds a number, not text." in rows[6].errors
    assert rows[7].ok and Certification.objects.get().product_name == "Gạo thơm"
    assert HeldRow.objects.filter(problem="error").count() == 5


def test_nul_bytes_and_huge_numbers_in_a_csv(roles, agency):
    content = annex(
        "1,Gạo\x00 ST25,HTX Gạo,,1.2.a,4",
        "2,Gạo nếp,HTX Nếp,,1.2.a," + "4" * 5000,
        "3,Gạo thơm,HTX Thơm,,1.2.a,4",
    )
    report = import_decisions(content, "nul.csv", agency, dry_run=False, decision=DONG_THAP)
    rows = by_line(report)
    assert "The product name cell contains a NUL character; retype it." in rows[2].errors
    assert rows[3].errors == ["The stars cell holds more than 255 characters."]
    assert rows[4].ok
    assert "\x00" not in HeldRow.objects.get(line=2).values["product_name"]


def test_two_rows_that_disagree_are_both_errors_naming_each_other(roles, agency):
    content = annex(
        "1,Mắm cá linh,HTX Thuỷ sản Hồng Ngự,,1.4.a,3",
        "2,Bánh phồng tôm,HTX Thuỷ sản Hồng Ngự,,1.3.d,4",
        "3,Mắm Cá Linh,HTX Thủy sản Hồng Ngự,,1.4.a,4",
        "4,Bánh phồng tôm,HTX Thuỷ sản Hồng Ngự,,1.3.d,4",  # the same again: no conflict
    )
    report = import_decisions(content, "dup.csv", agency, dry_run=False, decision=DONG_THAP)
    rows = by_line(report)
    message = (
        "Rows 2 and 4 name the same product (“Mắm Cá Linh”) in decision 1567/QĐ-UBND but disagree on stars; "
        "keep the right one."
    )
    assert rows[2].errors == [message] and rows[4].errors == [message]
    assert rows[3].ok and rows[5].ok
    assert Certification.objects.count() == 1


def test_dates_before_the_programme_or_in_the_future_are_errors(roles, agency):
    header = "STT,Tên sản phẩm,Chủ thể,Tỉnh,Phân nhóm,Hạng sao,Số quyết định,Cơ quan ban hành,Ngày ký\n"
    content = annex(
        "1,Chè,HTX Chè,Thái Nguyên,1.5.a,4,1/QĐ-UBND,UBND tỉnh Thái Nguyên,12/12/2017",
        "2,Chè xanh,HTX Chè,Thái Nguyên,1.5.a,4,2/QĐ-UBND,UBND tỉnh Thái Nguyên,01/01/2099",
        header=header,
    )
    rows = by_line(import_decisions(content, "old.csv", agency))
    assert "before the OCOP programme began" in rows[2].errors[0]
    assert "is in the future" in rows[3].errors[0]


def test_near_matches_are_proposed_and_only_merged_when_confirmed(roles, agency):
    from catalogue.models import Province

    dong_thap = Province.objects.get(name="Đồng Tháp", era="current")
    known = ProducerFactory(name="HTX Nông nghiệp Hoà Lộc", province=dong_thap, legal_form="cooperative")
    content = annex("1,Xoài cát chu,Hợp tác xã Hoà Lộc,,1.1.a,4")
    preview = import_decisions(content, "near.csv", agency, decision=DONG_THAP)
    assert preview.rows[0].proposals == [(known.pk, "HTX Nông nghiệp Hoà Lộc")]
    assert preview.rows[0].producer == "created"
    report = import_decisions(content, "near.csv", agency, dry_run=False, decision=DONG_THAP, confirmed={2: known.pk})
    assert report.rows[0].producer == "unchanged"
    assert Certification.objects.get().producer == known


def test_the_registration_number_decides(roles, agency):
    from catalogue.models import Province

    dong_thap = Province.objects.get(name="Đồng Tháp", era="current")
    known = ProducerFactory(name="Công ty TNHH Sa Giang", province=dong_thap, registration_number="1400100000")
    header = "STT,Tên sản phẩm,Chủ thể,Phân nhóm,Hạng sao,Mã số doanh nghiệp\n"
    content = annex(
        "1,Bánh phồng tôm,Công ty Cổ phần XNK Sa Giang,1.3.d,4,1400100000",
        "2,Hủ tiếu,Công ty TNHH Sa Giang,1.3.b,4,1400999999",
        header=header,
    )
    report = import_decisions(content, "reg.csv", agency, dry_run=False, decision=DONG_THAP)
    first, second = report.rows
    assert first.producer == "unchanged" and first.matched_by == "registration number"
    assert Certification.objects.get(product_name="Bánh phồng tôm").producer == known
    assert second.producer == "created"  # same name, another registration number: another producer


def test_one_reindex_task_per_import(roles, agency, monkeypatch, django_capture_on_commit_callbacks):
    calls = []

    class Recorder:
        def enqueue(self, page_ids):
            calls.append(page_ids)

    monkeypatch.setattr("search.signals.reindex_products", Recorder())
    content = (SAMPLES / "annex-sample.csv").read_bytes()
    import_decisions(content, "a.csv", agency, dry_run=True, decision=DONG_THAP)
    assert calls == []  # a dry run re-indexes nothing
    with django_capture_on_commit_callbacks(execute=True):
        report = import_decisions(content, "a.csv", agency, dry_run=False, decision=DONG_THAP)
    assert len(calls) == 1 and len(calls[0]) == 6 and calls[0] == report.reindexed
