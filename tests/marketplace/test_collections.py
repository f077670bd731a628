"""Curated collections: hand-picked or saved searches, always under THE visibility rule at render time."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from marketplace.collections.demo import ensure_collection_index
from marketplace.collections.models import CollectionItem, CollectionRule, ProductCollectionPage
from tests.factories import ProducerFactory, certified_product, current_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection_index(site_tree):
    return ensure_collection_index(site_tree[0])


def collection(index, slug, items=(), rules=()):
    page = ProductCollectionPage(title=slug.replace("-", " ").title(), slug=slug)
    page.items = [CollectionItem(product=p, sort_order=n) for n, p in enumerate(items)]
    page.rules = [CollectionRule(params=r, sort_order=n) for n, r in enumerate(rules)]
    index.add_child(instance=page)
    page.save_revision().publish()
    return ProductCollectionPage.objects.get(pk=page.pk)


@pytest.fixture
def mekong(product_index):
    an_giang = ProducerFactory(slug="nuoc-mam-phu-quoc", province=current_province("an-giang"))
    can_tho = ProducerFactory(slug="gao-can-tho", province=current_province("can-tho"))
    return {
        "five": certified_product(product_index, stars=5, producer=an_giang, title="Nước mắm Phú Quốc 43 độ đạm"),
        "four": certified_product(product_index, stars=4, producer=can_tho, title="Gạo ST25"),
        "three": certified_product(product_index, stars=3, producer=can_tho, title="Bánh pía"),
    }


def test_a_hand_picked_collection_keeps_its_order_and_drops_a_product_whose_record_expires(
    client, collection_index, page_a, page_b
):
    page = collection(collection_index, "qua-tet", items=[page_b, page_a])
    assert page.products() == [page_b, page_a]
    html = client.get(page.url).content.decode()
    assert html.index(page_b.title) < html.index(page_a.title)

    record = page_b.certifications.get()
    # On the day the 36 months run out, the product has left the collection without anyone editing it.
    assert page.products(on=record.expires_on) == []
    record.signed_on = timezone.localdate() - datetime.timedelta(days=3 * 366)
    record.save()
    assert page.products() == [page_a]
    assert page_b.title not in client.get(page.url).content.decode()


def test_a_rule_based_collection_is_the_search_contract_answer(client, collection_index, mekong, product_index):
    page = collection(
        collection_index, "mekong-5", rules=["stars=5&province=an-giang", "/en/search/?stars=4&province=can-tho"]
    )
    assert set(page.products()) == {mekong["five"], mekong["four"]}
    # A new product that matches appears with nobody acting; one revoked today leaves at once.
    newcomer = certified_product(
        product_index, stars=5, producer=mekong["five"].producer, title="Nước mắm Phú Quốc 40 độ đạm"
    )
    record = mekong["four"].certifications.get()
    record.revoked_on = timezone.localdate()
    record.revocation_reason = "Thu hồi"
    record.save()
    html = client.get(page.url).content.decode()
    assert newcomer.title in html and mekong["five"].title in html
    assert mekong["four"].title not in html and mekong["three"].title not in html


def test_hand_picked_first_then_rules_without_repeats_and_at_most_the_limit(collection_index, mekong, page_a):
    page = collection(collection_index, "mixed", items=[page_a, mekong["four"]], rules=["province=can-tho"])
    assert page.products() == [page_a, mekong["four"], mekong["three"]]
    page.max_products = 2
    assert len(page.products()) == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("stars=abc", "Stars must be 3, 4 or 5"),
        ("province=atlantis", "No province is called"),
        ("category=nothing-like-it", "No product group"),
        ("", "at least one search parameter"),
    ],
)
def test_a_bad_saved_search_is_a_form_error(params, message, collection_index):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        CollectionRule(params=params).clean()
    assert message in " ".join(error.value.message_dict["params"])


def test_the_index_lists_published_collections(client, collection_index, page_a):
    shown = collection(collection_index, "qua-tet", items=[page_a])
    hidden = collection(collection_index, "nhap", items=[page_a])
    hidden.unpublish()
    html = client.get(collection_index.url).content.decode()
    assert shown.title in html and hidden.title not in html
