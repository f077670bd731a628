"""The one visibility rule, asked at every public surface."""

import datetime

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from wagtail.models import PageViewRestriction

from catalogue.models import Certification, ProductPage
from catalogue.visible_pages import visible_pages
from tests.factories import CertificationFactory, ProductPageFactory, certified_product
from tests.sitemaps import sitemap_locations

pytestmark = pytest.mark.django_db

D = datetime.date


def months_ago(months):
    today = timezone.localdate()
    from dateutil.relativedelta import relativedelta

    return today - relativedelta(months=months)


@pytest.fixture
def catalogue(product_index):
    """One product in each situation a buyer must or must not see."""
    today = timezone.localdate()
    return {
        "listed": certified_product(product_index, stars=4, title="Chè Shan tuyết Hà Giang", slug="listed"),
        "five_star": certified_product(product_index, stars=5, slug="five-star"),
        "two_star": certified_product(product_index, stars=2, slug="two-star"),
        # Signed exactly 36 months ago: it expires today.
        "expires_today": certified_product(product_index, stars=4, signed_on=months_ago(36), slug="expires-today"),
        # Expires tomorrow: still valid today.
        "expires_tomorrow": certified_product(
            product_index, stars=3, signed_on=months_ago(36) + datetime.timedelta(days=1), slug="expires-tomorrow"
        ),
        "revoked_today": certified_product(product_index, stars=5, revoked_on=today, slug="revoked-today"),
        "uncertified": ProductPageFactory(parent=product_index, slug="uncertified"),
        "draft": certified_product(product_index, stars=4, slug="draft", live=False),
    }


VISIBLE = {"listed", "five_star", "expires_tomorrow"}


def test_the_rule_itself(catalogue):
    slugs = set(ProductPage.objects.visible().values_list("slug", flat=True))
    assert slugs == {catalogue[k].slug for k in VISIBLE}


def test_expiry_boundary_is_the_36_month_anniversary(catalogue):
    page = catalogue["expires_tomorrow"]
    expiry = page.certifications.get().expires_on
    assert page.is_visible(on=expiry - datetime.timedelta(days=1))
    assert not page.is_visible(on=expiry)


def test_latest_record_in_force_decides(product_index):
    page = certified_product(product_index, stars=4, signed_on=months_ago(20))
    # A newer 2★ re-evaluation replaces the 4★ result: the product is no longer certified.
    CertificationFactory(product=page, stars=2, signed_on=months_ago(1))
    assert not page.is_visible()
    # An upgrade signed later puts it back.
    CertificationFactory(product=page, stars=5, signed_on=timezone.localdate())
    assert page.is_visible()
    assert page.current_certification.stars == 5


def test_revoking_the_current_record_falls_back_to_nothing_older_that_expired(product_index):
    page = certified_product(product_index, stars=4, signed_on=months_ago(40))
    current = CertificationFactory(product=page, stars=4, signed_on=months_ago(4))
    assert page.is_visible()
    current.revoked_on = timezone.localdate()
    current.revocation_reason = "Vi phạm an toàn thực phẩm"
    current.save()
    assert not page.is_visible()


def test_revoking_the_current_record_never_brings_back_the_one_it_superseded(client, product_index):
    page = certified_product(product_index, stars=4, signed_on=months_ago(10), slug="upgraded")
    older = page.certifications.get()
    upgrade = CertificationFactory(product=page, stars=5, signed_on=months_ago(2))
    assert page.current_certification == upgrade
    assert older.status == Certification.Status.SUPERSEDED
    upgrade.revoked_on = timezone.localdate()
    upgrade.revocation_reason = "Không đăng ký đánh giá lại"
    upgrade.save()
    # The 4★ decision is still inside its 36 months, but it was replaced: it never counts again.
    assert not page.is_visible()
    assert page.current_certification is None
    assert client.get(page.url).status_code == 410
    assert Certification.objects.get(pk=older.pk).status == Certification.Status.SUPERSEDED
    assert "BỊ THAY THẾ" in client.get(older.get_absolute_url()).content.decode()
    # A new decision brings the product back.
    CertificationFactory(product=page, stars=4, signed_on=timezone.localdate())
    assert page.is_visible()


def test_a_two_star_record_is_never_called_valid(client, catalogue):
    record = catalogue["two_star"].certifications.get()
    assert record.status == Certification.Status.BELOW_STANDARD
    listed = client.get("/api/v1/certifications/", {"status": "below_standard"}).json()["items"]
    assert [item["decision_number"] for item in listed] == [record.decision_number]
    valid = client.get("/api/v1/certifications/", {"status": "valid"}).json()["items"]
    assert record.decision_number not in {item["decision_number"] for item in valid}
    detail = client.get(f"/api/v1/certifications/{record.pk}/").json()
    assert detail["status"] == "below_standard"
    verify = client.get("/vi/verify/", {"q": record.decision_number}).content.decode()
    assert "Được đánh giá dưới 3★" in verify
    assert ">Còn hiệu lực<" not in verify


def test_product_page_serving(client, catalogue):
    assert client.get(catalogue["listed"].url).status_code == 200
    for key in ("two_star", "expires_today", "revoked_today"):
        response = client.get(catalogue[key].url)
        assert response.status_code == 410, key
        assert "không còn được đăng" in response.content.decode()
        assert catalogue[key].description not in response.content.decode()
    assert client.get(catalogue["uncertified"].url).status_code == 404
    assert client.get("/vi/products/draft/").status_code == 404


def test_listings_and_home_page(client, catalogue):
    for url in ("/vi/products/", "/vi/"):
        html = client.get(url).content.decode()
        for key, page in catalogue.items():
            assert (f'href="{page.url}"' in html) == (key in VISIBLE), (url, key)


def test_the_home_page_keeps_its_lists_but_never_shows_a_product_gone(client, catalogue, product_index):
    """The best-rated list and the count are kept between renders (they read the whole catalogue);
    which of them is visible is asked every time, and a saved record reads them again."""

    def home():
        with CaptureQueriesContext(connection) as queries:
            html = client.get("/en/").content.decode()
        return html, len(queries)

    html, first = home()
    assert catalogue["five_star"].url in html and "Search 3 products" in html
    html, second = home()
    assert second < first and catalogue["five_star"].url in html
    # Revoked without a signal (a queryset update, as at midnight): gone from the very next render.
    Certification.objects.filter(product=catalogue["five_star"]).update(revoked_on=timezone.localdate())
    html, _ = home()
    assert catalogue["five_star"].url not in html
    # A new record is saved: the lists are read again, the new product and the count at once.
    newcomer = certified_product(product_index, stars=5, slug="newcomer")
    html, _ = home()
    assert newcomer.url in html and "Search 3 products" in html


def test_producer_pages_list_only_visible_products(client, catalogue, product_index):
    producer = catalogue["listed"].producer
    hidden = certified_product(product_index, stars=2, producer=producer, slug="same-producer-2-star")
    html = client.get(producer.get_absolute_url()).content.decode()
    assert catalogue["listed"].url in html
    assert hidden.url not in html
    # A producer whose only product is hidden has no public page at all.
    assert client.get(catalogue["revoked_today"].producer.get_absolute_url()).status_code == 404


def test_sitemap(client, catalogue):
    locations = sitemap_locations(client)
    for key, page in catalogue.items():
        assert any(loc.endswith(f"/vi/products/{page.slug}/") for loc in locations) == (key in VISIBLE), key
    assert any("/vi/certifications/" in loc for loc in locations)
    assert any(loc.endswith(catalogue["listed"].producer.get_absolute_url()) for loc in locations)
    assert not any(loc.endswith(catalogue["two_star"].producer.get_absolute_url()) for loc in locations)


def test_api(client, catalogue):
    body = client.get("/api/v1/products/").json()
    assert {item["slug"] for item in body["items"]} == {catalogue[k].slug for k in VISIBLE}
    for key, page in catalogue.items():
        status = client.get(f"/api/v1/products/{page.slug}/").status_code
        assert status == (200 if key in VISIBLE else 404), key


def test_certification_records_stay_public_and_say_their_status(client, catalogue):
    for key, phrase in [("listed", "CÒN HIỆU LỰC"), ("expires_today", "HẾT HIỆU LỰC"), ("revoked_today", "BỊ THU HỒI")]:
        record = catalogue[key].certifications.get()
        html = client.get(record.get_absolute_url()).content.decode()
        assert phrase in html, key
        assert record.decision_number in html
        # The record links to the product page only while the product is listed.
        assert (f'href="{catalogue[key].url}"' in html) == (key == "listed")
    assert (
        "Không đăng ký đánh giá lại"
        in client.get(catalogue["revoked_today"].certifications.get().get_absolute_url()).content.decode()
    )


def test_a_record_page_follows_the_rule_and_the_records_at_the_next_request(client, catalogue):
    """The record page's queries are compiled once per process and day (catalogue.statements):
    its product link and statuses still change with the very next request."""
    page = catalogue["listed"]
    record = page.certifications.get()
    url = record.get_absolute_url()
    assert f'href="{page.url}"' in client.get(url).content.decode()
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert f'href="{page.url}"' not in client.get(url).content.decode()
    restriction.delete()
    assert f'href="{page.url}"' in client.get(url).content.decode()
    # A later decision, saved without a signal: the first one is superseded and listed among the others.
    later = CertificationFactory(product=page, stars=5, signed_on=timezone.localdate())
    html = client.get(url).content.decode()
    assert "BỊ THAY THẾ" in html and f'href="{later.get_absolute_url()}"' in html
    Certification.objects.filter(product=page).update(revoked_on=timezone.localdate())
    html = client.get(later.get_absolute_url()).content.decode()
    assert "BỊ THU HỒI" in html and f'href="{page.url}"' not in html


@pytest.mark.parametrize("pk", ["999999999", "9" * 20])
def test_a_record_number_no_record_has_is_not_found(client, catalogue, pk):
    assert client.get(f"/vi/certifications/{pk}/").status_code == 404


def test_unpublishing_hides_everywhere(client, catalogue):
    page = catalogue["listed"]
    page.unpublish()
    assert not ProductPage.objects.visible().filter(pk=page.pk).exists()
    assert client.get(f"/api/v1/products/{page.slug}/").status_code == 404


def test_a_record_signed_for_a_later_day_is_not_called_valid_before_it(client, product_index):
    translation.activate("en")  # asserts the English source strings, at the /en/ addresses
    today = timezone.localdate()
    page = certified_product(product_index, stars=4, signed_on=today + datetime.timedelta(days=5), slug="later")
    record = page.certifications.get()
    assert not page.is_visible()
    assert record.status == Certification.Status.NOT_YET_IN_FORCE
    html = client.get(record.get_absolute_url()).content.decode()
    assert "NOT YET IN FORCE" in html and "VALID:" not in html and "REVOKED" not in html
    checked = client.get("/en/verify/", {"q": record.decision_number}).content.decode()
    assert "Not yet in force" in checked and ">Valid<" not in checked
    assert client.get(f"/api/v1/certifications/{record.pk}/").json()["status"] == "not_yet_in_force"
    pending = client.get("/api/v1/certifications/", {"status": "not_yet_in_force"}).json()["items"]
    assert [item["decision_number"] for item in pending] == [record.decision_number]
    valid = client.get("/api/v1/certifications/", {"status": "valid"}).json()["items"]
    assert record.decision_number not in {item["decision_number"] for item in valid}
    # On its signing day it is the product's current record.
    signed = record.signed_on
    assert record.status_on(signed) == Certification.Status.VALID and page.is_visible(on=signed)


def test_visible_pages_is_the_rule_and_follows_restrictions_and_days(catalogue):
    """Search's re-check (catalogue.visible_pages) reuses a compiled statement: it must
    still answer exactly as the rule does when the day or the view restrictions change."""
    ids = [page.pk for page in catalogue.values()]

    def rule(on=None):
        return [p.pk for p in ProductPage.objects.visible(on).filter(pk__in=ids)]

    def reused(on=None):
        return [p.pk for p in visible_pages(ids, on)]

    assert reused() == rule() and set(reused()) == {catalogue[k].pk for k in VISIBLE}
    assert reused() == rule()  # the second call runs the kept statement
    page = visible_pages(ids)[0]
    assert page.current_stars >= 3 and page.specific_class is ProductPage
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert reused(yesterday) == rule(yesterday) and catalogue["expires_today"].pk in reused(yesterday)
    restriction = PageViewRestriction.objects.create(
        page=catalogue["listed"], restriction_type=PageViewRestriction.PASSWORD, password="sesame"
    )
    assert reused() == rule() and catalogue["listed"].pk not in reused()
    restriction.delete()
    assert catalogue["listed"].pk in reused()
    assert visible_pages([catalogue["listed"].pk, catalogue["listed"].pk]) == visible_pages([catalogue["listed"].pk])
    assert visible_pages([]) == []


def test_a_private_section_hides_its_products_at_once_outside_a_request(product_index):
    # Pages read the private sections once per GET (catalogue.restrictions); a command or a task
    # reads them each time, so a restriction made a moment ago already counts.
    page = certified_product(product_index, stars=4, slug="soon-private")
    assert ProductPage.objects.visible().filter(pk=page.pk).exists()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert not ProductPage.objects.visible().filter(pk=page.pk).exists()


def test_a_page_served_while_the_site_has_no_private_section_still_checks_its_own(client, product_index):
    page = certified_product(product_index, stars=4, slug="public-then-private")
    assert client.get(page.url).status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="sesame")
    response = client.get(page.url)
    assert response.status_code == 200
    assert b'name="password"' in response.content  # Wagtail's password form, not the product
    assert page.title.encode() not in response.content


def test_the_home_and_producer_pages_drop_a_product_made_private_at_the_next_request(client, product_index):
    # Both lists run statements compiled once per process (catalogue.statements), kept under the
    # day and the private sections: a new private section must not reuse the SQL without it.
    page = certified_product(product_index, stars=5, slug="home-then-private", title="Trà shan tuyết Hà Giang")
    producer_url = page.producer.get_absolute_url()
    for _ in range(2):  # the second request runs the kept statements
        assert page.title in client.get("/vi/").content.decode()
        assert page.title in client.get(producer_url).content.decode()
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert page.title not in client.get("/vi/").content.decode()
    assert client.get(producer_url).status_code == 404  # its only product is private now
    restriction.delete()
    assert page.title in client.get(producer_url).content.decode()
