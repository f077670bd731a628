"""Every kind of change that can alter a product's visibility, seen from every public surface.

Each test makes one change and then asks the search page (hits, count and facets), the API
list and detail, the autocomplete, the product page, the producer page, /products/, the
home page and the sitemap. Every surface must agree, and every list's count must equal
what it shows. Runs on the embedded engine and on Elasticsearch.
"""

import datetime

import pytest

from django.core.management import call_command
from django.utils import timezone

from wagtail.models import PageViewRestriction

from catalogue.languages import without_language
from catalogue.models import Certification, ProductPage
from marketplace.records.revocations import lines_from_text, revoke
from search.models import SearchEntry
from tests.factories import CertificationFactory, ProductPageFactory, UserFactory
from tests.sitemaps import sitemap_locations

from .conftest import listed

pytestmark = pytest.mark.django_db

QUERY = "mat ong"  # every product here is a honey ("mật ong")
TODAY = timezone.localdate


@pytest.fixture
def client(english_client):
    # These tests read the English source strings; tests/test_translations.py covers Vietnamese.
    return english_client


@pytest.fixture(autouse=True)
def _english(english):
    pass


def honey(parent, title, **fields):
    return listed(parent, title, description=f"<p>Mô tả {title}</p>", **fields)


def fresh(page):
    return ProductPage.objects.get(pk=page.pk)


def surfaces(client, page):
    """{surface: whether it shows `page`}; asserts on the way that every count is what is shown."""
    page = fresh(page)
    shown = {}

    response = client.get("/en/search/", {"q": QUERY})
    result = response.context["result"]
    assert result.total == len(result.hits), "the search page counts what it cannot show"
    assert result.facets["stars"][0].count == result.total, "the stars facet counts hidden products"
    assert sum(b.count for b in result.facets["province"]) == result.total, "the province facet counts hidden products"
    noun = "product" if result.total == 1 else "products"
    assert f"{result.total} {noun}" in response.content.decode()
    shown["search"] = page.pk in {hit.pk for hit in result.hits}

    listing = client.get("/en/search/").context["result"]
    assert listing.total == len(listing.hits)
    shown["search without words"] = page.pk in {hit.pk for hit in listing.hits}

    api = client.get("/api/v1/products/", {"q": QUERY}).json()
    assert api["count"] == len(api["items"]), "the API counts what it cannot show"
    shown["api list"] = page.slug in {item["slug"] for item in api["items"]}

    suggestions = client.get("/en/search/autocomplete/", {"q": QUERY}).json()["suggestions"]
    for suggestion in suggestions:
        assert client.get(suggestion["url"]).status_code == 200, f"autocomplete offers {suggestion}"
    shown["autocomplete"] = page.url in {s["url"] for s in suggestions}

    shown["api detail"] = client.get(f"/api/v1/products/{page.slug}/").status_code == 200
    served = client.get(page.url)
    shown["product page"] = served.status_code == 200 and f"Mô tả {page.title}" in served.content.decode()
    producer_page = client.get(page.producer.get_absolute_url())
    shown["producer page"] = producer_page.status_code == 200 and f'href="{page.url}"' in producer_page.content.decode()
    shown["/en/products/"] = f'href="{page.url}"' in client.get("/en/products/").content.decode()
    shown["home page"] = f'href="{page.url}"' in client.get("/en/").content.decode()
    shown["sitemap"] = any(loc.endswith(page.url) for loc in sitemap_locations(client))
    return shown


def indexed(page):
    """Whether every index holds an entry for `page` (read directly, before any search repairs it)."""
    from django.conf import settings

    held = {"embedded": SearchEntry.objects.filter(page_id=page.pk).exists()}
    if settings.SEARCH_ENGINE == "elasticsearch":
        from search.engines import elasticsearch_engine

        engine = elasticsearch_engine()
        held["elasticsearch"] = bool(engine.es.exists(index=engine.alias, id=page.pk))
    return held


def assert_shown(client, page, expected):
    """The change re-indexed the product (no search has had to repair it) and every surface agrees."""
    held = indexed(page)
    assert held == dict.fromkeys(held, expected), f"{page.title}: the index holds {held}"
    shown = surfaces(client, page)
    assert shown == dict.fromkeys(shown, expected), f"{page.title}: {shown}"


@pytest.fixture
def pair(engine, product_index):
    return (
        honey(product_index, "Mật ong bạc hà Hà Giang", stars=4, province="tuyen-quang"),
        honey(product_index, "Mật ong rừng U Minh", stars=5, province="ca-mau"),
    )


def test_a_record_moved_to_another_product_hides_the_one_it_left(client, engine, product_index):
    old = honey(product_index, "Mật ong bạc hà Hà Giang", stars=4)
    title = "Mật ong hoa nhãn Hưng Yên"
    new = ProductPageFactory(parent=product_index, title=title, description=f"<p>Mô tả {title}</p>")
    assert_shown(client, old, True)
    record = old.certifications.get()
    record.product = new
    record.save()
    assert_shown(client, old, False)
    assert_shown(client, new, True)


@pytest.mark.parametrize("where", ["product", "product index", "home page"])
@pytest.mark.parametrize("kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_a_view_restriction_hides_and_lifting_it_brings_back(client, pair, product_index, where, kind):
    target = {"product": pair[0], "product index": product_index, "home page": product_index.get_parent()}[where]
    restriction = PageViewRestriction.objects.create(page=target, restriction_type=kind, password="sesame")
    assert_shown(client, pair[0], False)
    assert_shown(client, pair[1], where == "product")
    restriction.delete()
    assert_shown(client, pair[0], True)
    assert_shown(client, pair[1], True)


def test_unpublishing_the_product_index_alone_keeps_its_live_products_served_and_listed(client, pair, product_index):
    # Wagtail serves a live page under an unpublished parent, so the rule (the page's own
    # live flag) lists it too: every surface agrees.
    product_index.unpublish()
    assert client.get("/en/products/").status_code == 404
    for page in pair:
        shown = surfaces(client, page)
        del shown["/en/products/"]  # the listing is the unpublished page itself
        assert shown == dict.fromkeys(shown, True), shown


def test_unpublishing_the_product_index_with_its_products_hides_them_everywhere(client, pair, product_index):
    from wagtail.actions.unpublish_page import UnpublishPageAction

    agency = UserFactory(is_superuser=True)
    UnpublishPageAction(product_index, user=agency, include_descendants=True).execute()
    assert not ProductPage.objects.live().exists()
    # /products/ is gone with its index page; the other surfaces no longer show the products.
    for page in pair:
        shown = surfaces(client, page)
        del shown["/en/products/"]
        assert shown == dict.fromkeys(shown, False), shown


def test_renaming_the_product_index_moves_every_suggestion_to_the_new_address(
    client, pair, product_index, django_capture_on_commit_callbacks
):
    product_index.slug = "san-pham"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail says so once the new slug commits
        product_index.save_revision().publish()
    assert fresh(pair[0]).url.startswith("/en/san-pham/")
    for page in pair:
        shown = surfaces(client, page)
        del shown["/en/products/"]  # the listing itself moved too
        assert shown == dict.fromkeys(shown, True), shown
    # One entry per product whatever the language: it keeps the address without the /en/ or /vi/ prefix.
    assert set(SearchEntry.objects.values_list("url", flat=True)) == {without_language(fresh(p).url) for p in pair}


def test_deleting_the_product_index_removes_its_products_from_the_index(client, pair, product_index):
    product_index.delete()
    assert not SearchEntry.objects.exists()
    assert client.get("/en/search/", {"q": QUERY}).context["result"].total == 0
    assert client.get("/en/search/autocomplete/", {"q": QUERY}).json() == {"suggestions": []}


def _two_stars(page, record):
    record.stars = 2
    record.save()


def _expired(page, record):
    record.signed_on = TODAY() - datetime.timedelta(days=3 * 366)
    record.save()


def _signed_tomorrow(page, record):
    record.signed_on = TODAY() + datetime.timedelta(days=1)
    record.save()


def _revoked(page, record):
    record.revoked_on, record.revocation_reason = TODAY(), "Vi phạm an toàn thực phẩm"
    record.save()


def _revoked_by_a_decision(page, record):
    report = revoke(lines_from_text(str(record.pk)), "9/QĐ-UBND", TODAY(), "Không đăng ký đánh giá lại", dry_run=False)
    assert report.revoked == 1


def _record_deleted(page, record):
    record.delete()


def _newer_two_star_decision(page, record):
    CertificationFactory(product=page, stars=2, signed_on=TODAY())


def _unpublished(page, record):
    page.unpublish()


def _expired_by_schedule(page, record):
    page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save()
    call_command("publish_scheduled", verbosity=0)


def _page_deleted(page, record):
    page.delete()


CHANGES = [
    _two_stars,
    _expired,
    _signed_tomorrow,
    _revoked,
    _revoked_by_a_decision,
    _record_deleted,
    _newer_two_star_decision,
    _unpublished,
    _expired_by_schedule,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_every_change_that_hides_a_product_hides_it_everywhere(
    client, pair, change, django_capture_on_commit_callbacks
):
    page, other = pair
    with django_capture_on_commit_callbacks(execute=True):  # batched() re-indexes once the change commits
        change(fresh(page), page.certifications.order_by("-signed_on", "-pk").first())
    assert_shown(client, page, False)
    assert_shown(client, other, True)


def test_a_deleted_product_is_gone_from_every_list(client, pair):
    page, other = pair
    url, slug = page.url, page.slug
    page.delete()
    assert not any(indexed(page).values())
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/products/{slug}/").status_code == 404
    assert_shown(client, other, True)  # the counts of every list are checked on the way


def test_revoking_an_upgrade_never_brings_back_the_decision_it_replaced(client, engine, product_index):
    page = honey(product_index, "Mật ong bạc hà Hà Giang", stars=4, signed_on=TODAY() - datetime.timedelta(days=300))
    older = page.certifications.get()
    upgrade = CertificationFactory(product=page, stars=5, signed_on=TODAY() - datetime.timedelta(days=30))
    assert_shown(client, page, True)
    upgrade.revoked_on, upgrade.revocation_reason = TODAY(), "Vi phạm an toàn thực phẩm"
    upgrade.save()
    assert_shown(client, page, False)
    # Its public records say why: the revoked upgrade is REVOKED, the 4★ one stays SUPERSEDED.
    assert "REVOKED" in client.get(upgrade.get_absolute_url()).content.decode()
    assert "SUPERSEDED" in client.get(older.get_absolute_url()).content.decode()
    checked = client.get("/en/verify/", {"q": older.decision_number}).content.decode()
    assert "Superseded" in checked and ">Valid<" not in checked
    statuses = {r["decision_number"]: r["status"] for r in client.get("/api/v1/certifications/").json()["items"]}
    assert statuses[older.decision_number] == "superseded" and statuses[upgrade.decision_number] == "revoked"
    assert client.get(page.url).status_code == 410
    # Only a new decision brings it back.
    CertificationFactory(product=page, stars=4, signed_on=TODAY())
    assert_shown(client, page, True)


def test_a_change_the_signals_never_saw_is_still_counted_as_shown(client, pair):
    """A write that bypasses the signals (a queryset update, a restored backup) leaves a stale
    entry: the search finds it cannot show it, re-indexes it and answers again."""
    page, other = pair
    Certification.objects.filter(product=page).update(stars=2)
    assert indexed(page)["embedded"]  # stale
    shown = surfaces(client, page)
    assert shown == dict.fromkeys(shown, False), shown
    assert indexed(page) == dict.fromkeys(indexed(page), False)
    assert_shown(client, other, True)


def test_a_two_star_record_is_below_the_standard_on_every_record_surface(client, engine, product_index):
    page = honey(product_index, "Mật ong hoa cà phê Đắk Lắk", stars=2)
    record = page.certifications.get()
    assert_shown(client, page, False)
    assert "Evaluated below 3★" in client.get(record.get_absolute_url()).content.decode()
    checked = client.get("/en/verify/", {"q": "mat ong hoa ca phe"}).content.decode()
    assert "Evaluated below 3★" in checked and ">Valid<" not in checked
    item = client.get(f"/api/v1/certifications/{record.pk}/").json()
    assert item["status"] == "below_standard"
    assert record.decision_number not in {
        r["decision_number"] for r in client.get("/api/v1/certifications/", {"status": "valid"}).json()["items"]
    }


def test_a_product_scheduled_to_go_live_is_listed_everywhere_once_it_does(client, engine, product_index):
    page = honey(product_index, "Mật ong bạc hà Hà Giang", live=False)
    assert_shown(client, page, False)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    revision.publish()
    assert_shown(client, page, False)  # scheduled, not yet live
    # The hour passes.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    call_command("publish_scheduled", verbosity=0)
    assert_shown(client, page, True)


def test_a_product_handed_to_another_producer_follows_it(client, pair):
    from tests.factories import ProducerFactory

    page, other = pair
    before = page.producer
    after = ProducerFactory(name="HTX Ong mật Bắc Hà", province=before.province)
    page = fresh(page)
    page.producer = after
    page.save_revision().publish()
    assert_shown(client, page, True)
    assert client.get(before.get_absolute_url()).status_code == 404  # it listed nothing else
    found = client.get("/en/search/", {"q": "ong mat bac ha"}).context["result"]
    assert [hit.pk for hit in found.hits] == [page.pk]


def test_an_imported_re_evaluation_moves_the_product_to_its_new_stars_everywhere(
    client, engine, site_tree, django_capture_on_commit_callbacks
):
    # The importer refuses results below 3★, so an import never hides a product: a newer
    # decision replaces the stars it is found under.
    from marketplace.accounts.roles import setup_roles
    from marketplace.records.annexes.importer import import_decisions
    from tests.factories import agency_user

    def days_ago(days):
        return (TODAY() - datetime.timedelta(days=days)).strftime("%d/%m/%Y")

    setup_roles(*site_tree)
    agency = agency_user()
    header = (
        "producer,legal form,address,province,product name,sub-group,stars,decision number,issuing body,signing date"
    )
    row = "HTX Ong Tiên Phước,Hợp tác xã,Tiên Cẩm,Đà Nẵng,Mật ong rừng Tiên Phước,1.2.b,{},{},UBND TP Đà Nẵng,{}"
    with django_capture_on_commit_callbacks(execute=True):
        first = f"{header}\n{row.format(4, '1425/QĐ-UBND', days_ago(300))}\n".encode()
        assert import_decisions(first, "first.csv", agency, dry_run=False).committed
    page = ProductPage.objects.get(title="Mật ong rừng Tiên Phước")
    page.description = f"<p>Mô tả {page.title}</p>"
    page.save_revision().publish()
    assert_shown(client, page, True)
    with django_capture_on_commit_callbacks(execute=True):
        again = f"{header}\n{row.format(3, '2210/QĐ-UBND', days_ago(30))}\n".encode()
        assert import_decisions(again, "again.csv", agency, dry_run=False).committed
    assert page.certifications.count() == 2
    assert SearchEntry.objects.get(page_id=page.pk).stars == 3
    assert_shown(client, page, True)
    four = client.get("/api/v1/products/", {"q": QUERY, "stars": "4"}).json()
    assert four["count"] == 0 and four["items"] == []


def test_moving_the_product_index_into_a_restricted_section_takes_its_products_out_of_search(
    client, pair, product_index
):
    from catalogue.models import HomePage

    home = product_index.get_parent()
    archive = home.get_parent().add_child(instance=HomePage(title="Lưu trữ", slug="luu-tru"))
    PageViewRestriction.objects.create(page=archive, restriction_type=PageViewRestriction.LOGIN)
    product_index.move(archive, pos="last-child")
    for page in pair:
        assert not any(indexed(page).values())
        assert client.get(f"/api/v1/products/{page.slug}/").status_code == 404
    assert client.get("/en/search/", {"q": QUERY}).context["result"].total == 0
    assert client.get("/en/search/autocomplete/", {"q": QUERY}).json() == {"suggestions": []}
