"""The demand pages: the agency's figures and downloads, sourcing leads, each producer's own figures only."""

import datetime
import io
import uuid

import pytest
from openpyxl import load_workbook

from django.urls import reverse
from django.utils import timezone

from marketplace.collections.demo import ensure_collection_index
from marketplace.demand.models import AppearanceDay, PageViewDay, SearchDay
from marketplace.fairs.models import MeetingRequest
from marketplace.inquiries.models import Inquiry, InquiryMessage
from marketplace.models import ProductCollectionPage
from marketplace.orders.models import OrderState, OrderTransition, SampleOrder
from tests.factories import certified_product
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = TODAY - datetime.timedelta(days=3)


def moment(day=DAY, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def inquiry(product, country="DE", replied=False):
    row = Inquiry.objects.create(
        product=product, name="Anna", email="anna@example.de", country=country, consent_at=moment(), created_at=moment()
    )
    if replied:
        InquiryMessage.objects.create(
            inquiry=row, author="producer", body="Price list attached", created_at=moment(hour=15)
        )
    return row


def sample(product, country="JP", paid=False):
    order = SampleOrder.objects.create(
        product=product,
        product_title=product.title,
        producer=product.producer,
        quantity=2,
        unit_price_vnd=100_000,
        shipping_fee_vnd=50_000,
        shipping_zone="Asia",
        total_vnd=250_000,
        name="Kenji",
        email="kenji@example.jp",
        phone="+81 3 1234",
        consent_at=moment(),
        country=country,
        address_line="1-2-3 Ginza",
        form_token=uuid.uuid4(),
        expires_at=moment() + datetime.timedelta(days=2),
        created_at=moment(),
        state=OrderState.PAID if paid else OrderState.PENDING,
    )
    if paid:
        OrderTransition.objects.create(
            order=order, from_state="pending", to_state="paid", at=moment(hour=12), actor="agency"
        )
    return order


@pytest.fixture
def demand(page_a, page_b, site_tree):
    home, _index = site_tree
    PageViewDay.objects.create(day=DAY, page_id=page_a.pk, language="en", views=40)
    PageViewDay.objects.create(day=DAY, page_id=page_b.pk, language="vi", views=7)
    AppearanceDay.objects.create(day=DAY, product_id=page_a.pk, language="en", appearances=12)
    SearchDay.objects.create(day=DAY, language="en", query="fish sauce", searches=9)
    SearchDay.objects.create(day=DAY, language="en", query="durian jam", searches=4, zero_results=4)
    SearchDay.objects.create(day=DAY, language="vi", query="=cmd|calc", searches=2, zero_results=2)
    inquiry(page_a, replied=True)
    inquiry(page_a, country="FR")
    inquiry(page_b, country="US")
    sample(page_a, paid=True)
    fair = make_fair(fair_index(home), days_from_today=-5, length=1)
    exhibitor = exhibit(fair, page_a)
    start = timezone.make_aware(datetime.datetime.combine(fair.starts_on, datetime.time(9)))
    MeetingRequest.objects.create(
        exhibitor=exhibitor,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        status="accepted",
        name="Sophie",
        email="s@example.fr",
        country="FR",
        consent_at=moment(),
        created_at=moment(TODAY - datetime.timedelta(days=8)),
        decided_at=moment(TODAY - datetime.timedelta(days=7)),
    )
    return fair


def test_only_the_agency_opens_the_agency_page(client, user_a, demand):
    client.force_login(user_a)
    # Wagtail answers a PermissionDenied with the admin home and a message.
    refused = [
        client.get(reverse("marketplace_demand")),
        client.get(reverse("marketplace_demand_export"), {"figure": "top_en"}),
        client.post(reverse("marketplace_demand_lead"), {"action": "sourcing", "query": "x", "language": "en"}),
    ]
    assert [(r.status_code, r["Location"]) for r in refused] == [(302, "/admin/")] * 3
    assert not Inquiry.objects.filter(kind=Inquiry.Kind.SOURCING).exists()


def test_the_agency_sees_searches_funnel_and_meetings(client, agency, demand):
    client.force_login(agency)
    html = client.get(reverse("marketplace_demand")).content.decode()
    for text in (
        "fish sauce",
        "durian jam",
        "Fair meetings per exhibitor",
        "From inquiry to payment",
        "Open a sourcing request",
    ):
        assert text in html
    response = client.get(reverse("marketplace_demand_export"), {"figure": "funnel_group", "format": "csv"})
    rows = [line.split(",") for line in response.content.decode("utf-8-sig").strip().splitlines()]
    assert rows[0] == ["Product group", "Inquiries", "Replied", "Sample orders", "Paid"]
    assert ["3", "1", "1", "1"] in [row[1:] for row in rows[1:]]  # inquiries, replied, samples, paid


def test_downloads_hold_the_figures_in_csv_and_xlsx_without_formulas(client, agency, demand):
    client.force_login(agency)
    url = reverse("marketplace_demand_export")
    csv = client.get(url, {"figure": "zero_vi", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "attachment" in csv["Content-Disposition"]
    assert csv.content.decode("utf-8-sig").splitlines() == ["Search (folded words),Searches", "'=cmd|calc,2"]
    xlsx = client.get(url, {"figure": "top_en", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Search (folded words)", "Searches"],
        ["fish sauce", "9"],
        ["durian jam", "4"],
    ]
    meetings = client.get(url, {"figure": "meetings", "format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert meetings[1].endswith(",1,1,1")  # requested, accepted, held
    assert client.get(url, {"figure": "nope"}).status_code == 400
    assert client.get(url, {"figure": "top_en", "start": "2026-13-40"}).status_code == 200  # default period


def test_the_period_filters_every_figure(client, agency, demand):
    client.force_login(agency)
    url = reverse("marketplace_demand_export")
    before = {"start": "2020-01-01", "end": "2020-03-31", "format": "csv"}
    assert client.get(url, {**before, "figure": "top_en"}).content.decode("utf-8-sig").splitlines() == [
        "Search (folded words),Searches"
    ]
    response = client.get(reverse("marketplace_demand"), {"start": "2026-05-01", "end": "2020-01-01"})
    assert "The period must start before it ends." in response.content.decode()


def test_a_lead_opens_a_sourcing_request_or_a_collection_draft(client, agency, demand, site_tree):
    client.force_login(agency)
    url = reverse("marketplace_demand_lead")
    response = client.post(url, {"action": "sourcing", "query": "durian jam", "language": "en"})
    request = Inquiry.objects.get(kind=Inquiry.Kind.SOURCING)
    assert response.status_code == 302 and response["Location"] == reverse(
        "marketplace_inquiry_route", args=[request.pk]
    )
    assert request.subject == "durian jam" and request.routed_at is None
    ensure_collection_index(site_tree[0])
    response = client.post(url, {"action": "collection", "query": "durian jam", "language": "en"})
    draft = ProductCollectionPage.objects.get(title="durian jam")
    assert not draft.live and [rule.params for rule in draft.rules.all()] == ["q=durian+jam"]
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert client.post(url, {"action": "nope", "query": "x", "language": "en"}).status_code == 400
    assert client.post(url, {"action": "sourcing", "query": "", "language": "en"}).status_code == 400


def test_a_producer_sees_only_their_own_figures(client, user_a, user_b, demand, product_index, producer_b):
    client.force_login(user_a)
    response = client.get(reverse("marketplace_demand_producer"))
    assert response.status_code == 200
    figures = response.context["figures"]
    yours = dict(figures["views"].series)["All yours"]
    assert sum(yours) == 40  # page_b's 7 views are producer B's
    assert sum(dict(figures["inquiry"].series)["All yours"]) == 2
    assert sum(dict(figures["appearances"].series)["All yours"]) == 12
    assert sum(dict(figures["meetings"].series)["You"]) == 1
    assert dict(zip(figures["countries"].categories, figures["countries"].series[0][1], strict=True)) == {
        "Germany": 1,
        "France": 2,
        "Japan": 1,
    }
    # Too few other products in the sub-group: no median that would give producer B's figures away.
    assert response.context["comparable"] is False
    assert set(dict(figures["views"].series)["Sub-group median"]) == {None}
    client.force_login(user_b)
    figures = client.get(reverse("marketplace_demand_producer")).context["figures"]
    assert sum(dict(figures["views"].series)["All yours"]) == 7
    csv = client.get(reverse("marketplace_demand_producer_export"), {"figure": "inquiry", "format": "csv"})
    assert csv.content.decode("utf-8-sig").splitlines()[0] == "Month,All yours,Yours per product,Sub-group median"


def test_the_median_appears_with_enough_other_products(client, user_a, demand, page_a, product_index, producer_b):
    for n in range(5):
        other = certified_product(
            product_index, producer=producer_b, title=f"Nước mắm {n}", slug=f"nuoc-mam-{n}", category=page_a.category
        )
        PageViewDay.objects.create(day=DAY, page_id=other.pk, language="vi", views=n)
    client.force_login(user_a)
    response = client.get(reverse("marketplace_demand_producer"))
    assert response.context["comparable"] is True
    median = dict(response.context["figures"]["views"].series)["Sub-group median"]
    assert max(median) == 3  # the median product of 40, 0, 1, 2, 3, 4 (and page_b, if it shares the sub-group)


def test_the_agency_and_visitors_do_not_open_a_producer_page(client, agency):
    client.force_login(agency)
    assert client.get(reverse("marketplace_demand_producer"))["Location"] == "/admin/"
    client.logout()
    assert client.get(reverse("marketplace_demand_producer"))["Location"].startswith("/admin/login/")
