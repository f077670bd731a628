"""Revoking a list of records in one step: dry run with each match, confirm, gone from public surfaces."""

import datetime
import re
from pathlib import Path

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue.models import Certification, ProductPage
from marketplace.records.annexes.importer import import_decisions
from marketplace.records.annexes.rows import Decision
from marketplace.records.revocations import lines_from_file, lines_from_text, revoke

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "marketplace" / "records" / "examples"
DONG_THAP = Decision("1567/QĐ-UBND", datetime.date(2025, 10, 15), "UBND tỉnh Đồng Tháp")
ON = datetime.date(2025, 12, 1)


@pytest.fixture
def imported(roles, agency):
    content = (SAMPLES / "annex-sample.csv").read_bytes()
    import_decisions(content, "annex-sample.csv", agency, dry_run=False, decision=DONG_THAP)
    # Published, so the public surfaces show them until they are revoked.
    for page in ProductPage.objects.all():
        page.save_revision().publish()
    return Certification.objects.all()


def test_sample_list_dry_run_then_revoke(imported, agency):
    content = (SAMPLES / "revocation-sample.csv").read_bytes()
    lines = lines_from_file(content, "revocation-sample.csv")
    preview = revoke(lines, "2210/QĐ-UBND", ON, "Không đăng ký đánh giá lại", dry_run=True)
    mango, linh, unknown = preview.lines
    assert mango.record.product_name == "Xoài cát Hoà Lộc"  # written “Hòa” in the list
    assert linh.record.product_name == "Mắm cá linh"
    assert unknown.problem == "No record of decision 1567/QĐ-UBND names the product “Bánh tráng Cao Lãnh”."
    assert not Certification.objects.revoked(ON).exists()
    visible = set(ProductPage.objects.visible(ON).values_list("title", flat=True))
    assert "Xoài cát Hoà Lộc" in visible

    done = revoke(
        lines_from_file(content, "x.csv"), "2210/QĐ-UBND", ON, "Không đăng ký đánh giá lại", user=agency, dry_run=False
    )
    assert done.revoked == 2
    record = Certification.objects.get(product_name="Xoài cát Hoà Lộc")
    assert record.revoked_on == ON
    assert record.revocation_reason == "Không đăng ký đánh giá lại (decision 2210/QĐ-UBND)"
    assert record.revisions.count() == 2
    visible = set(ProductPage.objects.visible(ON).values_list("title", flat=True))
    assert "Xoài cát Hoà Lộc" not in visible and "Mắm cá linh" not in visible and "Hủ tiếu Sa Đéc" in visible

    # The same list again revokes nothing more.
    again = revoke(lines_from_file(content, "x.csv"), "2210/QĐ-UBND", ON, "Không đăng ký đánh giá lại", dry_run=False)
    assert again.revoked == 0 and sum(line.already for line in again.lines) == 2


def test_pasted_ids_addresses_and_pairs(imported):
    mango = imported.get(product_name="Xoài cát Hoà Lộc")
    linh = imported.get(product_name="Mắm cá linh")
    text = (
        f"{mango.pk}\nhttps://ocop.example.vn/certifications/{linh.pk}/\n\n"
        "1567/QĐ-UBND; Hủ tiếu Sa Đéc\n999999\nnonsense"
    )
    report = revoke(lines_from_text(text), "5/QĐ-UBND", ON, "Vi phạm", dry_run=True)
    assert [line.line for line in report.matched] == [1, 2, 4]
    assert report.lines[3].problem == "No record has the id 999999."
    assert "decision number; product name" in report.lines[4].problem


def test_ids_in_other_digits_or_too_long_are_problems_not_crashes(imported):
    text = "²\n/certifications/²/\n99999999999999999999\nhttps://x/certifications/" + "9" * 5000 + "/\n٣"
    report = revoke(lines_from_text(text), "5/QĐ-UBND", ON, "Vi phạm", dry_run=True)
    assert not report.matched and len(report.problems) == 5
    content = ("record id\n²\n" + "9" * 5000 + "\n").encode()
    from_file = revoke(lines_from_file(content, "ids.csv"), "5/QĐ-UBND", ON, "Vi phạm", dry_run=True)
    assert not from_file.matched and len(from_file.problems) == 2


def test_a_revocation_before_the_record_was_signed_is_refused(imported):
    report = revoke(lines_from_text("1567/QĐ-UBND; Mắm cá linh"), "1/QĐ-UBND", datetime.date(2025, 1, 1), "x")
    assert "after the revocation decision" in report.lines[0].problem


def test_admin_revocation_form_dry_run_and_confirm(client, imported, agency):
    client.force_login(agency)
    url = reverse("marketplace_revoke")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("revocation-sample.csv", (SAMPLES / "revocation-sample.csv").read_bytes())
    form = {"decision_number": "2210/QĐ-UBND", "signed_on": "01/12/2025", "reason": "Không đăng ký đánh giá lại"}
    preview = client.post(url, {**form, "file": upload}).content.decode()
    assert "Dry run: nothing revoked yet" in preview and "will be revoked" in preview
    assert "Bánh tráng Cao Lãnh" in preview and "Revoke 2 records" in preview
    token = re.search(r'name="token" value="([^"]+)"', preview).group(1)
    done = client.post(url, {"token": token}, follow=True).content.decode()
    assert "Decision 2210/QĐ-UBND: 2 records revoked." in done
    assert Certification.objects.revoked().count() == 2
    # The stored list is used once.
    client.post(url, {"token": token})
    assert Certification.objects.revoked().count() == 2


def test_admin_revocation_needs_a_list(client, agency):
    client.force_login(agency)
    response = client.post(
        reverse("marketplace_revoke"), {"decision_number": "1", "signed_on": "01/12/2025", "reason": "x"}
    )
    assert "Upload the list of records or paste it." in response.content.decode()
