"""Fair pages and their index: zones, exhibitors with booths, featured products, filters, visibility."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone

from wagtail.models import PageViewRestriction

from marketplace.fairs.models import FAIR_TZ, Exhibitor, FairFeaturedProduct, FairLivestream, FairZone
from tests.factories import ProducerFactory, certified_product
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(site_tree):
    return fair_index(site_tree[0])


def test_fair_page_shows_zones_exhibitors_booths_and_featured_products(client, index, page_a, page_b):
    fair = make_fair(index, livestream_url="https://live.example.vn/ocop", attendance="hybrid")
    exhibit(fair, page_a, booth="A01", zone=0)
    exhibit(fair, page_b, booth="B07", zone=1)
    FairFeaturedProduct.objects.create(page=fair, product=page_b)
    html = client.get(fair.url).content.decode()
    assert "Khu 5 sao" in html and "Khu miền Bắc" in html
    five_star, north = html.index("Khu 5 sao"), html.index("Khu miền Bắc")
    assert five_star < html.index(page_a.producer.name) < north < html.index("B07")
    assert "https://live.example.vn/ocop" in html and "Cung Văn hóa Hữu nghị" in html
    assert "Featured products" in html and page_b.title in html
    assert "Request a meeting" in html


def test_hidden_products_and_producers_without_one_are_left_out(client, index, product_index, page_a):
    fair = make_fair(index)
    lapsed_producer = ProducerFactory(name="HTX Hết hạn", slug="htx-het-han")
    lapsed = certified_product(
        product_index,
        producer=lapsed_producer,
        title="Mứt gừng hết hạn",
        signed_on=timezone.localdate() - datetime.timedelta(days=4 * 365),
    )
    revoked = certified_product(
        product_index, producer=page_a.producer, title="Nước mắm bị thu hồi", revoked_on=timezone.localdate()
    )
    exhibit(fair, page_a, booth="A01", products=[page_a, revoked])
    exhibit(fair, lapsed, booth="A02")
    FairFeaturedProduct.objects.create(page=fair, product=lapsed)
    html = client.get(fair.url).content.decode()
    assert page_a.title in html
    assert revoked.title not in html
    assert lapsed.title not in html and lapsed_producer.name not in html and "A02" not in html
    assert [e.producer for e in fair.visible_exhibitors()] == [page_a.producer]
    assert fair.visible_featured_products() == []


def test_applications_not_accepted_are_not_public(client, index, page_a, page_b):
    fair = make_fair(index)
    exhibit(fair, page_a, booth="", status=Exhibitor.Status.APPLIED)
    exhibit(fair, page_b, booth="", status=Exhibitor.Status.DECLINED)
    html = client.get(fair.url).content.decode()
    assert page_a.producer.name not in html and page_b.producer.name not in html


def test_index_lists_upcoming_and_past_and_filters_by_province_and_month(client, index):
    upcoming = make_fair(index, slug="sap-toi", title="Hội chợ sắp tới", days_from_today=20)
    past = make_fair(index, slug="da-qua", title="Hội chợ đã qua", days_from_today=-40, province="can-tho")
    html = client.get(index.url).content.decode()
    upcoming_at, past_at = html.index("Upcoming fairs"), html.index("Past fairs")
    assert upcoming_at < html.index(upcoming.title) < past_at < html.index(past.title)

    html = client.get(index.url, {"province": "can-tho"}).content.decode()
    assert past.title in html and upcoming.title not in html
    # A legacy slug (Sóc Trăng merged into Cần Thơ) finds the current province's fairs.
    assert past.title in client.get(index.url, {"province": "soc-trang"}).content.decode()

    month = upcoming.starts_on.strftime("%Y-%m")
    html = client.get(index.url, {"month": month}).content.decode()
    assert upcoming.title in html and past.title not in html


@pytest.mark.parametrize(
    ("params", "message"), [({"month": "13-2026"}, "YYYY-MM"), ({"province": "atlantis"}, "No province")]
)
def test_bad_filters_give_a_message_not_an_error(client, index, params, message):
    fair = make_fair(index)
    response = client.get(index.url, params, headers={"accept-language": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and fair.title in html


def test_fair_rules_are_checked(index):
    fair = make_fair(index)
    fair.ends_on = fair.starts_on - datetime.timedelta(days=1)
    fair.closes_at = datetime.time(7, 0)
    fair.attendance = "online"
    fair.livestream_url = ""
    with pytest.raises(ValidationError) as error:
        fair.clean()
    assert {"ends_on", "closes_at", "livestream_url"} <= set(error.value.message_dict)


def test_slots_follow_the_opening_hours_in_vietnam_time(index):
    fair = make_fair(index, length=2, meeting_slot_minutes=45)
    slots = fair.slots()
    # 08:00–12:00 in 45-minute steps: 08:00, 08:45, 09:30, 10:15, 11:00 (11:45 would end after closing).
    assert len(slots) == 10
    first_start, first_end = slots[0]
    assert first_start == datetime.datetime.combine(fair.starts_on, datetime.time(8, 0), tzinfo=FAIR_TZ)
    assert first_end - first_start == datetime.timedelta(minutes=45)
    assert slots[4][1].astimezone(FAIR_TZ).time() == datetime.time(11, 45)
    assert slots[5][0].date() == fair.ends_on


def test_producer_and_product_pages_show_upcoming_fairs_with_the_booth(client, index, page_a, product_index):
    upcoming = make_fair(index, slug="sap-toi", title="Hội chợ sắp tới")
    past = make_fair(index, slug="da-qua", title="Hội chợ đã qua", days_from_today=-30)
    exhibit(upcoming, page_a, booth="A17")
    exhibit(past, page_a, booth="Z99")
    other = certified_product(product_index, producer=page_a.producer, title="Nước mắm nhĩ", slug="nuoc-mam-nhi")
    for url in (page_a.producer.get_absolute_url(), page_a.url):
        html = client.get(url).content.decode()
        assert upcoming.title in html and "A17" in html
        assert past.title not in html and "Z99" not in html
    # The fair shows page_a only, so the other product's page does not claim it.
    assert upcoming.title not in client.get(other.url).content.decode()


def test_header_links_to_fairs_and_collections(client, index, page_a):
    from marketplace.collections.demo import ensure_collection_index

    ensure_collection_index()
    html = client.get(page_a.url).content.decode()
    assert f'href="{index.url}"' in html
    assert 'href="/en/collections/"' in html


def test_fair_index_is_allowed_under_the_home_page(site_tree):
    from marketplace.fairs.models import FairIndexPage

    home = site_tree[0]
    assert FairIndexPage in home.specific_class.allowed_subpage_models()


def test_the_agency_edits_fairs_and_collections_in_the_page_editor(client, index, agency, user_a):
    from django.urls import reverse

    from marketplace.collections.demo import ensure_collection_index

    fair = make_fair(index)
    collections = ensure_collection_index()
    client.force_login(agency)
    for url in (
        reverse("wagtailadmin_pages:edit", args=[fair.pk]),
        reverse("wagtailadmin_pages:add", args=["marketplace", "fairpage", index.pk]),
        reverse("wagtailadmin_pages:add", args=["marketplace", "productcollectionpage", collections.pk]),
    ):
        assert client.get(url).status_code == 200, url
    # Producers edit their products only: the fair's editor is not theirs.
    client.force_login(user_a)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[fair.pk])).status_code in (302, 403)


@pytest.mark.parametrize("private", ["fair", "index"])
def test_a_product_page_names_its_upcoming_fairs_unless_private(client, index, page_a, private):
    """The product page's "Meet us at upcoming fairs" lists published public fairs only; a fair in
    a private section (its own restriction or its index's) drops out on the next request."""
    fair = make_fair(index)
    exhibit(fair, page_a, booth="A01")
    assert fair.title in client.get(page_a.url).content.decode()
    PageViewRestriction.objects.create(
        page=fair if private == "fair" else index, restriction_type=PageViewRestriction.LOGIN
    )
    assert fair.title not in client.get(page_a.url).content.decode()


def test_the_fair_page_follows_each_change_at_the_next_request(client, index, product_index, page_a, page_b):
    """The fair page's queries are compiled once per process (catalogue.statements); what they
    return is read anew on every request: exhibitors accepted, products revoked or put in a
    private section, featured products, zones and livestreams."""
    fair = make_fair(index)
    exhibit(fair, page_a, booth="A01")
    html = client.get(fair.url).content.decode()
    assert page_a.title in html and page_b.producer.name not in html

    second = exhibit(fair, page_b, booth="B02", zone=1, status=Exhibitor.Status.APPLIED)
    assert page_b.producer.name not in client.get(fair.url).content.decode()
    second.status = Exhibitor.Status.ACCEPTED
    second.save()
    FairFeaturedProduct.objects.create(page=fair, product=page_b)
    FairZone.objects.create(page=fair, name="Khu Tây Nguyên", sort_order=2)
    FairLivestream.objects.create(
        page=fair,
        title="Phiên livestream khai mạc",
        starts_at=fair.starts_at,
        ends_at=fair.starts_at + datetime.timedelta(hours=1),
        url="https://live.example.vn/khai-mac",
    )
    html = client.get(fair.url).content.decode()
    assert page_b.producer.name in html and "B02" in html and "Featured products" in html
    assert "Khu Tây Nguyên" in html and "https://live.example.vn/khai-mac" in html

    page_a.certifications.update(revoked_on=timezone.localdate())
    PageViewRestriction.objects.create(page=page_b, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(fair.url).content.decode()
    assert page_a.title not in html and page_a.producer.name not in html
    assert page_b.title not in html and "Featured products" not in html


def test_a_preview_shows_the_featured_products_and_zones_being_edited(rf, index, page_a, page_b, django_user_model):
    fair = make_fair(index)
    exhibit(fair, page_a, booth="A01")
    fair.featured_products = [FairFeaturedProduct(product=page_b)]
    fair.zones = [*fair.zones.all(), FairZone(name="Khu mới chưa lưu", sort_order=5)]
    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser("agency", "agency@example.vn", "pw")
    request.is_preview = True  # as Wagtail's preview handler (make_preview_request) marks it
    html = fair.serve_preview(request, fair.default_preview_mode).render().content.decode()
    assert page_b.slug in html and "Khu mới chưa lưu" in html
    assert not FairFeaturedProduct.objects.filter(page=fair).exists()
