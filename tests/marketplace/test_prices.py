"""A product page's prices in đồng carry an indicative US dollar figure at the agency's rate,
written the way each language writes numbers, and nothing when there is no price or no rate."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from django.template import Context, Template
from django.utils import translation

from marketplace.orders.models import SampleOrderSettings
from tests.factories import certified_product

pytestmark = pytest.mark.django_db


def agency_rate(rate):
    settings = SampleOrderSettings.load()
    settings.usd_rate = Decimal(rate)
    settings.save()


def usd_figures(client, page, language):
    """The indicative dollar lines of the product page in that language."""
    with translation.override(language):
        response = client.get(page.url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    assert response.status_code == 200 and response["Content-Language"] == language
    return [span.get_text() for span in BeautifulSoup(response.content, "html.parser").select(".facts .usd")]


@pytest.mark.parametrize(
    ("language", "price", "sample"),
    [
        (
            "vi",
            "≈ 3,35–4,72 US$ (tham khảo, theo tỷ giá 25.400 ₫/US$)",
            "≈ 1,97 US$ (tham khảo, theo tỷ giá 25.400 ₫/US$)",
        ),
        ("en", "≈ US$3.35–4.72 (indicative, at 25,400 ₫/US$)", "≈ US$1.97 (indicative, at 25,400 ₫/US$)"),
    ],
)
def test_prices_in_dong_carry_dollars_at_the_agencys_rate(client, product_index, language, price, sample):
    agency_rate("25400")
    # 85,000 ₫ / 25,400 = 3.346 and 120,000 ₫ / 25,400 = 4.724; the sample's 50,000 ₫ = 1.969.
    page = certified_product(
        product_index, price_min_vnd=85_000, price_max_vnd=120_000, sample_available=True, sample_price_vnd=50_000
    )
    assert usd_figures(client, page, language) == [price, sample]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "≈ 3.929,20 US$ (tham khảo, theo tỷ giá 25.450,50 ₫/US$)"),
        ("en", "≈ US$3,929.20 (indicative, at 25,450.50 ₫/US$)"),
    ],
)
def test_large_prices_and_a_rate_with_cents_are_grouped_per_language(client, product_index, language, expected):
    agency_rate("25450.50")
    # One price (no upper bound): one figure. 100,000,000 ₫ / 25,450.50 = 3,929.20.
    page = certified_product(product_index, price_min_vnd=100_000_000, price_max_vnd=None)
    assert usd_figures(client, page, language) == [expected]


def test_the_figure_follows_the_rate_the_agency_sets(client, product_index):
    page = certified_product(product_index, price_min_vnd=85_000, price_max_vnd=85_000)
    agency_rate("25400")
    assert usd_figures(client, page, "en") == ["≈ US$3.35 (indicative, at 25,400 ₫/US$)"]
    agency_rate("26000")
    assert usd_figures(client, page, "en") == ["≈ US$3.27 (indicative, at 26,000 ₫/US$)"]


def test_no_price_no_dollars(client, product_index):
    page = certified_product(product_index, price_min_vnd=None, price_max_vnd=None, sample_available=False)
    for language in ("vi", "en"):
        assert usd_figures(client, page, language) == []


def test_no_rate_no_dollars(monkeypatch):
    # The setting requires a rate today; without one the tag says nothing rather than guess.
    template = Template("{% load prices %}[{% usd_indicative 85000 120000 %}]")
    with translation.override("en"):
        assert "US$3.35–4.72" in template.render(Context({}))
    for rate in (None, Decimal(0)):
        monkeypatch.setattr(SampleOrderSettings, "load", classmethod(lambda cls, rate=rate, **kw: cls(usd_rate=rate)))
        for language in ("vi", "en"):
            with translation.override(language):
                assert template.render(Context({})) == "[]"


@pytest.mark.parametrize(("language", "expected"), [("vi", "85.000–120.000 ₫"), ("en", "85,000–120,000 ₫")])
def test_the_price_in_dong_is_grouped_the_way_its_language_writes_numbers(client, product_index, language, expected):
    page = certified_product(product_index, price_min_vnd=85_000, price_max_vnd=120_000)
    with translation.override(language):
        response = client.get(page.url, HTTP_ACCEPT_LANGUAGE=language, follow=True)
    price = BeautifulSoup(response.content, "html.parser").select_one(".facts .usd").parent.get_text()
    assert price.startswith(expected), price
