"""Sourcing requests: the agency's routing screen proposes matching producers through the search contract."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Category, QualityCertification
from marketplace.inquiries.models import Inquiry, InquirySettings
from marketplace.inquiries.routing import propose, search_params
from tests.factories import ProducerFactory, certified_product, current_province, producer_user
from tests.marketplace.inquiry_helpers import product_form, product_url, sourcing_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(product_index, producer_a, producer_b, user_a, user_b):
    """Two fish-sauce producers (one in Đà Nẵng with HACCP, one 3★ in Hà Nội) and a tea producer."""
    da_nang = ProducerFactory(
        name="Công ty Nước mắm Nam Ô", slug="nuoc-mam-nam-o", province=current_province("da-nang")
    )
    producer_user(da_nang, email="namo@example.vn")
    nam_o = certified_product(product_index, producer=da_nang, title="Nước mắm Nam Ô", stars=5)
    QualityCertification.objects.create(page=nam_o, scheme="haccp")
    nam_o.save_revision().publish()
    certified_product(product_index, producer=producer_a, title="Nước mắm Cửa Khe", stars=3)
    tea = Category.objects.get(code="1.5.a")
    certified_product(product_index, producer=producer_b, title="Chè búp Tân Cương", category=tea)
    # Hidden (expired): never proposed.
    hidden = ProducerFactory(name="HTX Hết hạn", slug="htx-het-han")
    certified_product(
        product_index,
        producer=hidden,
        title="Nước mắm hết hạn",
        signed_on=timezone.localdate() - datetime.timedelta(days=40 * 30),
    )
    return {"da_nang": da_nang, "nam_o": nam_o}


def test_buyer_sends_a_sourcing_request(buyer, catalogue, agency):
    response = buyer.get(reverse("inquiries:sourcing"))
    assert response.status_code == 200 and "Any product group" in response.content.decode()
    response = buyer.post(reverse("inquiries:sourcing"), sourcing_form(category_slug="condiments", min_stars="4"))
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.kind == "sourcing" and inquiry.category.slug == "condiments" and inquiry.min_stars == 4
    assert not inquiry.recipients.exists()
    # The buyer and the agency hear of it; no producer yet.
    assert sorted(m.to[0] for m in mail.outbox) == ["agency@example.vn", "anna@feinkost.example.de"]
    bad = buyer.post(reverse("inquiries:sourcing"), sourcing_form(subject="", province_slug="atlantis"))
    assert bad.status_code == 200
    assert {"subject", "province_slug"} <= set(bad.context["form"].errors)


def test_routing_proposes_matching_visible_producers_and_forwards(buyer, client, catalogue, agency, producer_a):
    buyer.post(reverse("inquiries:sourcing"), sourcing_form(subject="nuoc mam", category_slug="condiments"))
    inquiry = Inquiry.objects.get()
    proposals, notes, total = propose(inquiry)
    names = [p.producer.name for p in proposals]
    assert set(names) == {"Công ty Nước mắm Nam Ô", "HTX Nước mắm Cửa Khe"} and total == 2
    assert "HTX Hết hạn" not in names

    inquiry.min_stars, inquiry.quality = 4, "haccp"
    assert search_params(inquiry) == {"q": "nuoc mam", "category": "condiments", "stars": "4", "quality": ["haccp"]}
    assert [p.producer.name for p in propose(inquiry)[0]] == ["Công ty Nước mắm Nam Ô"]
    inquiry.save()

    client.force_login(agency)
    screen = client.get(reverse("marketplace_inquiry_route", args=[inquiry.pk])).content.decode()
    assert "Công ty Nước mắm Nam Ô" in screen and "Nước mắm Nam Ô (5★)" in screen
    assert inquiry.reference in client.get(reverse("marketplace_inquiries") + "?status=routing").content.decode()
    mail.outbox.clear()
    response = client.post(
        reverse("marketplace_inquiry_route", args=[inquiry.pk]), {"producer": [catalogue["da_nang"].pk, "x"]}
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.routed_at and list(inquiry.recipients.all()) == [catalogue["da_nang"]]
    assert [m.to for m in mail.outbox] == [["namo@example.vn"]]
    client.get(reverse("wagtailadmin_home"))  # shows (and so clears) the "forwarded" message
    assert inquiry.reference not in client.get(reverse("marketplace_inquiries") + "?status=routing").content.decode()
    empty = client.post(reverse("marketplace_inquiry_route", args=[inquiry.pk]), {})
    assert empty.status_code == 302 and list(inquiry.recipients.all()) == [catalogue["da_nang"]]

    # Each producer sees it in its own inbox only if it was picked.
    client.force_login(catalogue["da_nang"].memberships.get().user)
    assert client.get(reverse("marketplace_inquiry", args=[inquiry.pk])).status_code == 200
    client.force_login(producer_a.memberships.get().user)
    assert client.get(reverse("marketplace_inquiry", args=[inquiry.pk])).status_code == 404


def test_words_matching_nothing_fall_back_to_filters(buyer, catalogue):
    buyer.post(reverse("inquiries:sourcing"), sourcing_form(subject="durian chips", category_slug="condiments"))
    proposals, notes, _total = propose(Inquiry.objects.get())
    assert len(proposals) == 2 and "durian chips" in notes[0]


def test_export_neutralises_formulas(buyer, client, page_a, agency):
    buyer.post(product_url(page_a), product_form(name='=HYPERLINK("http://evil")', company="+SUM(1)", message="@cmd"))
    client.force_login(agency)
    response = client.get(reverse("marketplace_inquiries_export") + "?status=all&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Columns by position: the headers follow the agency user's admin language.
    row = rows[1]
    record = {"Name": row[6], "Company": row[7], "Phone": row[9], "Message": row[19]}
    assert len(rows[0]) == len(row) == 21
    assert record["Name"] == '\'=HYPERLINK("http://evil")' and record["Company"] == "'+SUM(1)"
    assert record["Message"] == "'@cmd" and record["Phone"] == "'+4930901820"

    response = client.get(reverse("marketplace_inquiries_export") + "?status=all&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c.value for c in sheet[2]]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_retention_erases_old_closed_inquiries_and_keeps_figures(buyer, page_a, capsys):
    buyer.post(product_url(page_a), product_form())
    buyer.post(product_url(page_a), product_form(email="recent@example.de"))
    old, recent = Inquiry.objects.order_by("pk")
    Inquiry.objects.filter(pk=old.pk).update(status="closed", closed_at=timezone.now() - datetime.timedelta(days=800))
    Inquiry.objects.filter(pk=recent.pk).update(status="closed", closed_at=timezone.now() - datetime.timedelta(days=30))
    call_command("erase_closed_inquiries")
    assert "erased from 1 closed more than 24 months ago" in capsys.readouterr().out
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.erased_at and old.email == "" and old.thread_token is None and old.country.code == "DE"
    assert recent.email == "recent@example.de"

    settings_row = InquirySettings.load()
    settings_row.retention_months = 1
    settings_row.save()
    call_command("erase_closed_inquiries")
    recent.refresh_from_db()
    assert recent.erased_at and Inquiry.objects.count() == 2


def test_demo_inbox_is_idempotent(client, site_tree, page_a):
    from marketplace.accounts.demo import setup_demo_accounts
    from marketplace.inquiries.demo import load_demo_inquiries

    setup_demo_accounts()
    assert load_demo_inquiries(page_a.producer) == 5
    assert load_demo_inquiries(page_a.producer) == 0  # already there: nothing new
    assert Inquiry.objects.count() == 5 and mail.outbox == []
    producer_login = page_a.producer.memberships.get(user__email="producer@ocop.example.vn").user
    client.force_login(producer_login)
    listing = client.get(reverse("marketplace_inquiries") + "?status=all").content.decode()
    assert "Anna Schmidt" in listing and "Kenji Tanaka" in listing
    assert "Claire Martin" not in listing  # the sourcing request waits for the agency's routing


def test_product_page_links_to_the_sourcing_request(buyer, page_a):
    assert reverse("inquiries:sourcing") in buyer.get(page_a.url).content.decode()


def test_agency_sets_the_retention_period_in_the_admin(client, agency, user_a):
    client.force_login(agency)
    url = client.get(reverse("wagtailsettings:edit", args=["marketplace", "inquirysettings"]))["Location"]
    assert client.get(url).status_code == 200
    client.post(url, {"retention_months": "36"})
    assert InquirySettings.load().retention_months == 36
    client.force_login(user_a)
    assert client.get(url).status_code == 302  # producers cannot change it
