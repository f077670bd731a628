"""The purges each kind of change sends to the proxy, on commit, at every address in both languages."""

import datetime
import time

import pytest

from django.utils import timezone

from catalogue.models import Certification
from marketplace.collections.models import CollectionItem, ProductCollectionPage
from marketplace.fairs.models import Exhibitor
from marketplace.records.revocations import lines_from_text, revoke
from tests.caching.helpers import catalogue_of
from tests.factories import certified_product

pytestmark = pytest.mark.django_db


def everywhere(path):
    """/vi/…, /en/… and the unprefixed address that redirects."""
    return {f"/vi{path}", f"/en{path}", path}


@pytest.fixture
def shop(site_tree):
    return catalogue_of(site_tree, 3)


@pytest.fixture
def changed(proxy, django_capture_on_commit_callbacks):
    """Run a change and return the paths purged when it commits (nothing is sent before)."""

    def run(change):
        proxy.purged.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
            assert proxy.purged == []  # not before the commit
        return proxy.paths()

    return run


def product_paths(shop, product):
    record = product.certifications.get()
    others = [p for p in shop["products"] if p != product]
    return (
        everywhere(f"/products/{product.slug}/")
        | everywhere(f"/certifications/{record.pk}/")
        | everywhere(f"/producers/{shop['producer'].slug}/")
        | everywhere(f"/products/{others[0].slug}/")  # "More from the producer"
        | everywhere("/")
        | everywhere("/products/")
        | everywhere(f"/fairs/{shop['fair'].slug}/")
        | everywhere(f"/collections/{shop['collection'].slug}/")
        | {"/sitemap.xml", "/sitemap-products.xml"}
    )


def test_a_revocation_purges_the_product_everywhere_and_the_proxy_is_asked_within_a_second(shop, proxy, changed):
    product = shop["products"][0]
    record = product.certifications.get()
    lines = lines_from_text(str(record.pk))

    def revoke_it():
        revoke(lines, "99/QĐ-UBND", timezone.localdate(), "Vi phạm", dry_run=False)

    started = time.monotonic()
    purged = changed(revoke_it)
    assert time.monotonic() - started < 1
    assert product_paths(shop, product) <= purged
    assert {host for host, _path in proxy.purged} == {"testserver"}  # the public address's host


def test_publishing_unpublishing_and_deleting_a_product(shop, changed):
    product = shop["products"][0]
    expected = product_paths(shop, product)
    assert expected <= changed(lambda: product.save_revision().publish())
    assert expected <= changed(lambda: product.unpublish())
    assert expected <= changed(lambda: product.delete())


def test_a_moved_or_renamed_page_is_purged_at_its_old_and_new_addresses(shop, changed):
    product = shop["products"][0]

    def rename():
        product.slug = "nuoc-mam-moi"
        product.save_revision().publish()

    purged = changed(rename)
    assert everywhere("/products/nuoc-mam-0/") | everywhere("/products/nuoc-mam-moi/") <= purged


def test_a_record_saved_or_moved_purges_both_products(shop, changed):
    first, second = shop["products"][:2]
    record = first.certifications.get()

    def move():
        record.product = second
        record.save()

    purged = changed(move)
    assert everywhere(f"/certifications/{record.pk}/") <= purged
    assert everywhere(f"/products/{first.slug}/") | everywhere(f"/products/{second.slug}/") <= purged
    assert "/sitemap-records.xml" in purged


def test_a_record_expiring_needs_no_purge_the_pages_end_at_midnight(shop, client):
    # An expiry is no change anyone saves: every public page's lifetime ends by the next midnight.
    response = client.get(shop["products"][0].url)
    cache_control = dict(
        part.split("=") if "=" in part else (part, "") for part in response["Cache-Control"].split(", ")
    )
    now = timezone.localtime()
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo)
    assert int(cache_control["s-maxage"]) <= (midnight - now).total_seconds() + 1


def test_a_renamed_producer_purges_its_page_old_and_new_its_products_and_records(shop, changed):
    producer = shop["producer"]

    def rename():
        producer.name, producer.slug = "HTX Cửa Khe mới", "htx-cua-khe-moi"
        producer.save()

    purged = changed(rename)
    assert everywhere("/producers/htx-cua-khe/") | everywhere("/producers/htx-cua-khe-moi/") <= purged
    for product in shop["products"]:
        record = product.certifications.get()
        assert everywhere(f"/products/{product.slug}/") | everywhere(f"/certifications/{record.pk}/") <= purged


def test_a_fair_edited_purges_it_its_index_calendars_and_its_exhibitors_pages(shop, changed):
    fair = shop["fair"]

    def edit():
        fair.title = "Hội chợ OCOP mùa thu"
        fair.save_revision().publish()

    purged = changed(edit)
    assert everywhere(f"/fairs/{fair.slug}/") | everywhere("/fairs/") <= purged
    assert everywhere("/calendar/fairs.ics") | everywhere(f"/calendar/fairs/{fair.pk}.ics") <= purged
    assert everywhere(f"/products/{shop['products'][2].slug}/") <= purged  # "Meet us at upcoming fairs"
    assert everywhere(f"/producers/{shop['producer'].slug}/") <= purged


def test_an_exhibitor_withdrawn_purges_the_fair_and_its_products(shop, changed):
    exhibitor = Exhibitor.objects.get(fair=shop["fair"])

    def withdraw():
        exhibitor.status = Exhibitor.Status.DECLINED
        exhibitor.save()

    purged = changed(withdraw)
    assert everywhere(f"/fairs/{shop['fair'].slug}/") <= purged
    assert everywhere(f"/products/{shop['products'][1].slug}/") <= purged


def test_a_collection_edited_purges_it_and_its_index(shop, changed, site_tree):
    collection = shop["collection"]
    extra = certified_product(site_tree[1], title="Mật ong", slug="mat-ong")

    def edit():
        collection.items.add(CollectionItem(product=extra, sort_order=9))
        collection.save_revision().publish()

    purged = changed(edit)
    assert everywhere(f"/collections/{collection.slug}/") | everywhere("/collections/") <= purged
    assert ProductCollectionPage.objects.get().items.count() == 4


def test_a_rolled_back_change_sends_nothing_and_no_setting_sends_nothing(shop, proxy, settings):
    # Outside django_capture_on_commit_callbacks the test's transaction never commits.
    shop["products"][0].certifications.update(stars=2)
    Certification.objects.first().save()
    assert proxy.purged == []
    del settings.WAGTAILFRONTENDCACHE
    Certification.objects.first().save()
    assert proxy.purged == []
