"""A product without an English name, named in English from the OCOP glossary wherever the English
name would be (page, card, search, API, JSON-LD, e-mails), marked for what it is, never stored
over a name a person wrote; the producer's form suggests it; the agency lists what is unconfirmed."""

import json
import re

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from catalogue import glossary
from catalogue.models import Category, GlossaryTerm
from marketplace.inquiries.models import Inquiry
from marketplace.orders.models import SampleOrder
from tests.factories import certified_product

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_glossary():
    glossary.forget()
    yield
    glossary.forget()


@pytest.fixture
def products(product_index):
    squid = certified_product(
        product_index,
        title="Mực khô Cô Tô",
        slug="muc-kho-co-to",
        name_en="",
        category=Category.objects.get(code="1.3.d"),
    )
    confirmed = certified_product(
        product_index,
        title="Nước mắm Phú Quốc Khải Hoàn 40 độ đạm",
        slug="khai-hoan-40",
        name_en="Khai Hoan Phu Quoc fish sauce 40N",
        category=Category.objects.get(code="1.4.a"),
    )
    unknown = certified_product(
        product_index,
        title="Khau nhục Lạng Sơn",
        slug="khau-nhuc",
        name_en="",
        category=Category.objects.get(code="1.3.d"),
    )
    return {"squid": squid, "confirmed": confirmed, "unknown": unknown}


def page(client, language, product):
    with translation.override(language):
        url = product.url
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def product_json_ld(soup):
    blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    return next(b for b in blocks if b["@type"] == "Product")


def test_the_english_page_names_it_from_the_glossary_beside_the_vietnamese(client, products):
    soup = page(client, "en", products["squid"])
    heading = soup.find("h1")
    assert (heading.get_text(strip=True), heading["lang"]) == ("Cô Tô dried squid", "en")
    subtitle = soup.select_one(".product-summary .subtitle")
    assert (subtitle.get_text(strip=True), subtitle["lang"]) == ("Mực khô Cô Tô", "vi")
    assert "English name from the OCOP glossary" in soup.select_one(".name-note").get_text()
    data = product_json_ld(soup)
    assert (data["name"], data["alternateName"]) == ("Cô Tô dried squid", "Mực khô Cô Tô")
    assert soup.find("title").get_text().startswith("Cô Tô dried squid")


def test_the_vietnamese_page_and_the_stored_name_are_untouched(client, products):
    soup = page(client, "vi", products["squid"])
    assert soup.find("h1").get_text(strip=True) == "Mực khô Cô Tô"
    assert soup.select_one(".name-note") is None
    products["squid"].refresh_from_db()
    assert products["squid"].name_en == ""


def test_a_name_a_person_wrote_wins_and_carries_no_note(client, products):
    soup = page(client, "en", products["confirmed"])
    assert soup.find("h1").get_text(strip=True) == "Khai Hoan Phu Quoc fish sauce 40N"
    assert soup.select_one(".name-note") is None


def test_a_product_the_glossary_does_not_know_says_what_it_is_from_its_sub_group(client, products):
    soup = page(client, "en", products["unknown"])
    heading = soup.find("h1")
    assert (heading.get_text(strip=True), heading["lang"]) == ("Khau nhục Lạng Sơn", "vi")
    kinds = [(p.get_text(strip=True), p["lang"]) for p in soup.select(".product-summary .subtitle")]
    assert ("Processed from meat, eggs, milk, seafood and honey", "en") in kinds
    assert soup.select_one(".name-note") is None


def test_an_agency_term_names_it_on_the_next_request(client, products):
    GlossaryTerm.objects.create(vietnamese="khau nhục", english="braised pork belly")
    assert page(client, "en", products["unknown"]).find("h1").get_text(strip=True) == "Lạng Sơn braised pork belly"


def test_cards_and_suggestions_show_it_in_english(client, products):
    with translation.override("en"):
        url = reverse("search:search")
    soup = BeautifulSoup(client.get(url, {"q": "dried squid"}, HTTP_ACCEPT_LANGUAGE="en").content, "html.parser")
    card = next(c for c in soup.select(".product-card") if "muc-kho-co-to" in c.select_one("a")["href"])
    title, sub = card.select_one(".card-title"), card.select_one(".card-sub")
    assert (title.get_text(strip=True), title["lang"]) == ("Cô Tô dried squid", "en")
    assert (sub.get_text(strip=True), sub["lang"]) == ("Mực khô Cô Tô", "vi")
    with translation.override("en"):
        suggest = reverse("search:autocomplete")
    titles = [
        s["title"] for s in client.get(suggest, {"q": "muc kho"}, HTTP_ACCEPT_LANGUAGE="en").json()["suggestions"]
    ]
    assert "Cô Tô dried squid" in titles


def test_the_api_gives_the_english_name_and_says_where_it_came_from(client, products):
    items = {i["slug"]: i for i in client.get("/api/v1/products/").json()["items"]}
    assert (items["muc-kho-co-to"]["name_en"], items["muc-kho-co-to"]["name_en_from_glossary"]) == (
        "Cô Tô dried squid",
        True,
    )
    assert items["khai-hoan-40"]["name_en_from_glossary"] is False
    assert (items["khau-nhuc"]["name_en"], items["khau-nhuc"]["name_en_from_glossary"]) == ("", False)


def test_emails_to_an_english_reader_name_it_in_english(products):
    squid = products["squid"]
    inquiry = Inquiry(product=squid, product_title=squid.title)
    order = SampleOrder(product=squid, product_title=squid.title)
    with translation.override("en"):
        assert inquiry.localized_product_title == "Cô Tô dried squid"
        assert order.localized_product_title == "Cô Tô dried squid"
    with translation.override("vi"):
        assert inquiry.localized_product_title == "Mực khô Cô Tô"


def test_the_product_form_suggests_the_name(client, products):
    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "x")
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[products["squid"].pk])).content.decode()
    assert 'placeholder="Cô Tô dried squid"' in html
    assert "Suggested from the OCOP glossary" in html or "Gợi ý từ từ điển OCOP" in html


def test_the_agency_lists_products_without_a_confirmed_english_name(client, products):
    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "x")
    client.force_login(admin)
    html = client.get("/admin/products/", {"english_name": "missing"}).content.decode()
    listed = {
        " ".join(re.sub(r"<[^>]+>", " ", t).split())
        for t in re.findall(r'class="title-wrapper">(.*?)</div>', html, re.S)
    }
    assert listed == {"Mực khô Cô Tô", "Khau nhục Lạng Sơn"}
    html = client.get("/admin/products/", {"english_name": "confirmed"}).content.decode()
    assert "Nước mắm Phú Quốc Khải Hoàn 40 độ đạm" in html and "Mực khô Cô Tô" not in html
