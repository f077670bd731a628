"""The agency's workflow in the admin: decision + annex, dry run with derived values, confirm,
complete the held rows, import them, download what is still not imported."""

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from django.urls import reverse
from django.utils.translation import gettext as _

from catalogue.models import Certification
from marketplace.records.models import HeldRow

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "marketplace" / "records" / "examples"
DECISION = {"decision_number": "1567/QĐ-UBND", "signed_on": "15/10/2025", "issuing_body": "UBND tỉnh Đồng Tháp"}


def token_of(html):
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def upload_annex(client, name="annex-sample.xlsx", **extra):
    with open(SAMPLES / name, "rb") as handle:
        return client.post(reverse("marketplace_import_decisions"), {**DECISION, **extra, "file": handle})


def test_held_rows_workflow_end_to_end(client, agency):
    client.force_login(agency)
    preview = upload_annex(client)
    html = preview.content.decode()
    assert "Dry run of annex-sample.xlsx: nothing written yet" in html
    assert "Provincial People&#x27;s Committee (from the issuing body)" in html
    assert '<mark class="import-derived">legal form: Cooperative (hợp tác xã) (from the producer&#x27;s name)' in html
    assert "province: Đồng Tháp (from the issuing body)" in html
    # The column name is translated with the rest of the reason (the admin speaks the default, Vietnamese).
    assert _("Missing: {what}.").format(what=_("producer")) in html and "2★ is not an OCOP certificate" in html
    assert Certification.objects.count() == 0

    done = client.post(reverse("marketplace_import_decisions"), {"token": token_of(html)})
    assert done.status_code == 302 and "held/?batch=" in done["Location"]
    assert Certification.objects.count() == 6
    listing = client.get(done["Location"]).content.decode()
    assert "4 rows not imported yet." in listing and "Trà mãng cầu" in listing

    # Complete the row without a producer: check first (nothing written), then import it.
    held = HeldRow.objects.get(values__product_name="Trà mãng cầu")
    url = reverse("marketplace_held_row", args=[held.pk])
    form = {**held.values, "producer": "HTX Trà mãng cầu Tân Phú"}
    checked = client.post(url, {**form, "action": "check"}).content.decode()
    assert "The row is complete: Import now writes it." in checked
    assert "Cooperative (hợp tác xã) (from the producer&#x27;s name)" in checked
    assert not Certification.objects.filter(product_name="Trà mãng cầu").exists()
    imported = client.post(url, {**form, "action": "import"})
    assert imported.status_code == 302
    record = Certification.objects.get(product_name="Trà mãng cầu")
    assert (record.decision_number, record.producer.name) == ("1567/QĐ-UBND", "HTX Trà mãng cầu Tân Phú")
    held.refresh_from_db()
    assert held.status == "imported" and held.certification == record

    # A completion that is still wrong stays held, with the new reasons.
    wrong = HeldRow.objects.get(values__product_name="Bánh tráng Mỹ Lồng")
    response = client.post(
        reverse("marketplace_held_row", args=[wrong.pk]), {**wrong.values, "stars": "7", "action": "import"}
    )
    html = response.content.decode()
    assert "7★ is not an OCOP certificate" in html, re.findall(r'help-critical">(.*?)</div>', html, re.S)
    wrong.refresh_from_db()
    assert wrong.status == "held" and wrong.values["stars"] == "7"

    # Discard one.
    honey = HeldRow.objects.get(values__product_name="Mật ong hoa tràm")
    client.post(reverse("marketplace_held_row", args=[honey.pk]), {"action": "discard"})
    honey.refresh_from_db()
    assert honey.status == "discarded"

    # Uploading the same annex again resurrects nothing already completed or discarded.
    again = upload_annex(client)
    client.post(reverse("marketplace_import_decisions"), {"token": token_of(again.content.decode())})
    assert HeldRow.objects.filter(status="held").count() == 2
    assert Certification.objects.count() == 7


def test_download_of_rows_not_imported_reimports_once_fixed(client, agency):
    client.force_login(agency)
    preview = upload_annex(client, "annex-sample.csv")
    client.post(reverse("marketplace_import_decisions"), {"token": token_of(preview.content.decode())})
    HeldRow.objects.filter(values__product_name="Trà mãng cầu").update(
        values={"product_name": "Trà mãng cầu", "producer": '=HYPERLINK("http://x")', "sub_group": "1.5.b"}
    )
    response = client.get(reverse("marketplace_held_rows_download", args=["csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="held-rows.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[0] == "row" and header[-1] == "reasons" and "decision number" in header
    by_product = {row[header.index("product name")]: row for row in rows[1:]}
    assert set(by_product) == {"Kẹo dừa “Cái Bè”", "Trà mãng cầu", "Mật ong hoa tràm", "Bánh tráng Mỹ Lồng"}
    assert by_product["Trà mãng cầu"][header.index("producer")].startswith("'=HYPERLINK")
    assert by_product["Bánh tráng Mỹ Lồng"][-1].startswith("2★ is not an OCOP certificate")
    assert by_product["Kẹo dừa “Cái Bè”"][header.index("decision number")] == "1567/QĐ-UBND"

    xlsx = client.get(reverse("marketplace_held_rows_download", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][-1] == "reasons" and sheet.max_row == 5

    # Fix the file as the agency would, and upload it without entering the decision.
    by_product["Kẹo dừa “Cái Bè”"][header.index("sub-group")] = "1.3.c"
    by_product["Mật ong hoa tràm"][header.index("legal form")] = "Hộ kinh doanh"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *by_product.values()])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("fixed.csv", buffer.getvalue().encode())
    preview = client.post(reverse("marketplace_import_decisions"), {"file": upload})
    client.post(reverse("marketplace_import_decisions"), {"token": token_of(preview.content.decode())})
    assert Certification.objects.filter(product_name__in=["Kẹo dừa “Cái Bè”", "Mật ong hoa tràm"]).count() == 2


def test_the_decision_fields_go_together_and_the_date_is_checked(client, agency):
    client.force_login(agency)
    response = upload_annex(client, decision_number="", signed_on="01/01/2017")
    form = response.context["form"]
    assert "Enter the decision's number, signing date and issuing body together." in form.errors["decision_number"]
    assert any("before the OCOP programme began" in e for e in form.errors["signed_on"])


def test_held_rows_are_for_the_agency_only(client, roles, user_a):
    client.force_login(user_a)
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert client.get(reverse("marketplace_held_rows")).status_code == 302
    assert client.get(reverse("marketplace_held_rows_download", args=["csv"])).status_code == 404
    assert client.get(reverse("marketplace_revoke")).status_code == 302
