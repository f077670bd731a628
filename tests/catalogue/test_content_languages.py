"""A product's own words in the visitor's language: the English name and description (when the
producer wrote them) on an English page, the Vietnamese ones otherwise, down to the <title>,
the meta description, Open Graph and JSON-LD."""

import json

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse
from django.utils import translation

from catalogue.models import Category
from marketplace.collections.demo import ensure_collection_index
from marketplace.collections.models import CollectionItem, ProductCollectionPage
from marketplace.fairs.demo import ensure_fair_index
from marketplace.fairs.models import FairFeaturedProduct
from tests.factories import ProducerFactory, certified_product
from tests.marketplace.fair_helpers import exhibit, make_fair

pytestmark = pytest.mark.django_db

VI_NAME, EN_NAME = "Nước mắm cá cơm Phú Quốc", "Phu Quoc anchovy fish sauce"
VI_TEXT, EN_TEXT = "Ủ chượp mười hai tháng trong thùng gỗ", "Aged twelve months in wooden barrels"


@pytest.fixture
def shop(site_tree):
    home, index = site_tree
    producer = ProducerFactory(
        name="Công ty TNHH Nước mắm Hưng Thịnh",
        slug="hung-thinh",
        description="Cơ sở gia đình ba đời làm nước mắm.",
        description_en="A family fish-sauce house in its third generation.",
    )
    bilingual = certified_product(
        index,
        title=VI_NAME,
        slug="nuoc-mam-ca-com",
        name_en=EN_NAME,
        description=f"<p>{VI_TEXT}.</p>",
        description_en=f"<p>{EN_TEXT}.</p>",
        producer=producer,
        category=Category.objects.get(code="1.4.a"),
        sample_available=True,
        sample_price_vnd=150000,
    )
    vietnamese_only = certified_product(
        index, title="Nước mắm Nam Ô", slug="nam-o", name_en="", description_en="", producer=producer
    )
    return {"home": home, "index": index, "bilingual": bilingual, "vietnamese_only": vietnamese_only}


def fetch(client, language, url_of):
    """The page in `language`: its URL built in that language (a prefix, once URLs carry one) and
    asked for with that Accept-Language."""
    with translation.override(language):
        url = url_of()
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.html["lang"] == language
    return soup


def meta(soup, key):
    tag = soup.find("meta", attrs={"name": key}) or soup.find("meta", attrs={"property": key})
    return tag["content"]


def json_ld(soup, kind):
    blocks = [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]
    return [block for block in blocks if block["@type"] == kind]


def test_a_product_page_in_english_names_and_describes_it_in_english(client, shop):
    soup = fetch(client, "en", lambda: shop["bilingual"].url)
    heading = soup.find("h1")
    assert (heading.get_text(strip=True), heading["lang"]) == (EN_NAME, "en")
    subtitle = soup.select_one(".product-summary .subtitle")
    assert (subtitle.get_text(strip=True), subtitle["lang"]) == (VI_NAME, "vi")  # the official name stays in sight
    body = soup.select_one(".product-body").get_text()
    assert EN_TEXT in body
    assert VI_TEXT not in body
    assert soup.title.string.startswith(EN_NAME)
    assert EN_NAME in meta(soup, "description")
    assert meta(soup, "og:title") == EN_NAME
    assert EN_NAME in meta(soup, "og:description")
    [product] = json_ld(soup, "Product")
    assert (product["name"], product["alternateName"]) == (EN_NAME, VI_NAME)
    assert product["description"] == f"{EN_TEXT}."
    assert product["category"] == "Sauces, fish sauce and other liquid condiments"
    [trail] = json_ld(soup, "BreadcrumbList")
    assert [item["name"] for item in trail["itemListElement"]][1:] == [
        "Food",
        "Sauces, fish sauce and other liquid condiments",
        EN_NAME,
    ]
    crumbs = [a.get_text(strip=True) for a in soup.select("nav.breadcrumbs a")]
    assert crumbs[1:] == ["Food", "Sauces, fish sauce and other liquid condiments"]


def test_the_same_product_page_in_vietnamese_names_it_in_vietnamese(client, shop):
    soup = fetch(client, "vi", lambda: shop["bilingual"].url)
    heading = soup.find("h1")
    assert (heading.get_text(strip=True), heading["lang"]) == (VI_NAME, "vi")
    subtitle = soup.select_one(".product-summary .subtitle")
    assert (subtitle.get_text(strip=True), subtitle["lang"]) == (EN_NAME, "en")
    body = soup.select_one(".product-body").get_text()
    assert VI_TEXT in body
    assert EN_TEXT not in body
    assert soup.title.string.startswith(VI_NAME)
    assert VI_NAME in meta(soup, "description")
    assert meta(soup, "og:title") == VI_NAME
    [product] = json_ld(soup, "Product")
    assert (product["name"], product["alternateName"]) == (VI_NAME, EN_NAME)
    assert product["description"] == f"{VI_TEXT}."
    assert product["category"] == "Tương, nước mắm, gia vị dạng lỏng khác"
    crumbs = [a.get_text(strip=True) for a in soup.select("nav.breadcrumbs a")]
    assert crumbs[1:] == ["Thực phẩm", "Tương, nước mắm, gia vị dạng lỏng khác"]


def test_a_product_without_english_fields_is_named_from_the_glossary_and_described_in_vietnamese(client, shop):
    soup = fetch(client, "en", lambda: shop["vietnamese_only"].url)
    heading = soup.find("h1")
    # No English name written: the OCOP glossary's, marked as such, beside the Vietnamese one.
    assert (heading.get_text(strip=True), heading["lang"]) == ("Nam Ô fish sauce", "en")
    subtitle = soup.select_one(".product-summary .subtitle")
    assert (subtitle.get_text(strip=True), subtitle["lang"]) == ("Nước mắm Nam Ô", "vi")
    assert soup.select_one(".name-note") is not None
    assert soup.select_one(".product-body [lang='vi']") is not None
    [product] = json_ld(soup, "Product")
    assert (product["name"], product["alternateName"]) == ("Nam Ô fish sauce", "Nước mắm Nam Ô")


@pytest.mark.parametrize(("language", "name", "other"), [("en", EN_NAME, VI_NAME), ("vi", VI_NAME, EN_NAME)])
def test_search_result_cards_and_suggestions_follow_the_language(client, shop, language, name, other):
    soup = fetch(client, language, lambda: reverse("search:search") + "?q=fish+sauce")
    card = next(c for c in soup.select(".product-card") if shop["bilingual"].slug in c.select_one("a")["href"])
    title, subtitle = card.select_one(".card-title"), card.select_one(".card-sub")
    assert (title.get_text(strip=True), subtitle.get_text(strip=True)) == (name, other)
    assert title["lang"] == language
    groups = [a.get_text(strip=True) for a in soup.select("[data-facet='category'] a")]
    assert ("Condiments" in groups) == (language == "en")
    assert ("Gia vị" in groups) == (language == "vi")

    with translation.override(language):
        url = reverse("search:autocomplete")
    suggestions = client.get(url, {"q": "anchovy"}, HTTP_ACCEPT_LANGUAGE=language).json()["suggestions"]
    assert [s["title"] for s in suggestions] == [name]


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        ("en", "A family fish-sauce house in its third generation.", "Cơ sở gia đình ba đời làm nước mắm."),
        ("vi", "Cơ sở gia đình ba đời làm nước mắm.", "A family fish-sauce house in its third generation."),
    ],
)
def test_a_producer_page_describes_the_producer_in_the_page_language(client, shop, language, shown, hidden):
    producer = shop["bilingual"].producer
    soup = fetch(client, language, producer.get_absolute_url)
    text = soup.find("main").get_text()
    assert shown in text
    assert hidden not in text
    assert meta(soup, "description") == shown
    [organization] = json_ld(soup, "Organization")
    assert organization["description"] == shown
    names = [card.select_one(".card-title").get_text(strip=True) for card in soup.select(".product-card")]
    assert (EN_NAME in names) == (language == "en")


@pytest.mark.parametrize(("language", "name"), [("en", EN_NAME), ("vi", VI_NAME)])
def test_fair_and_collection_pages_name_products_in_the_page_language(client, shop, language, name):
    fairs, collections = ensure_fair_index(shop["home"]), ensure_collection_index(shop["home"])
    fair = make_fair(fairs)
    FairFeaturedProduct.objects.create(page=fair, product=shop["bilingual"])
    exhibit(fair, shop["bilingual"])
    collection = ProductCollectionPage(title="Nước mắm ngon", slug="nuoc-mam-ngon")
    collection.items = [CollectionItem(product=shop["bilingual"], sort_order=0)]
    collections.add_child(instance=collection)
    collection.save_revision().publish()

    soup = fetch(client, language, lambda: fair.url)
    assert name in [a.get_text(strip=True) for a in soup.select(".exhibitors a")]
    assert name in [h.get_text(strip=True) for h in soup.select(".product-card .card-title")]
    [listing] = json_ld(soup, "ItemList")
    assert [item["name"] for item in listing["itemListElement"]] == [name]

    soup = fetch(client, language, lambda: ProductCollectionPage.objects.get(pk=collection.pk).url)
    assert [h.get_text(strip=True) for h in soup.select(".product-card .card-title")] == [name]


@pytest.mark.parametrize(("language", "name"), [("en", EN_NAME), ("vi", VI_NAME)])
def test_inquiry_and_sample_order_forms_name_the_product_in_the_page_language(client, shop, language, name):
    product = shop["bilingual"]
    for url_of in (
        lambda: reverse("inquiries:product", args=[product.pk]),
        lambda: reverse("orders:order", args=[product.pk]),
    ):
        soup = fetch(client, language, url_of)
        assert name in soup.find("h1").get_text()
        assert name in soup.title.string
