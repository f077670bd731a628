"""A buyer in Chromium: types without diacritics, narrows by province and stars, opens a product."""

import re

import pytest
from playwright.sync_api import expect

from catalogue.models import Category

from .conftest import listed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_finds_fish_sauce_without_typing_diacritics(page, live_server, product_index):
    listed(product_index, "Nước mắm cá cơm Phú Quốc", stars=5, province="an-giang", name_en="Phu Quoc fish sauce")
    listed(product_index, "Nước mắm Nam Ô", stars=4, province="da-nang")
    listed(product_index, "Nước mắm Cửa Đại", stars=3, province="da-nang")
    rice_paper = Category.objects.get(slug="processed-rice-cereals")
    listed(product_index, "Bánh tráng cuốn Đà Nẵng", stars=4, province="da-nang", category=rice_paper)

    page.goto(f"{live_server.url}/")
    search_box = page.locator("#site-q")
    search_box.fill("nuoc mam")
    search_box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=nuoc\+mam"))
    results = page.locator(".results")
    expect(results.locator(".product-card")).to_have_count(3)
    expect(page.locator(".result-count")).to_contain_text("3 products")

    page.locator('[data-facet="province"] a', has_text="Đà Nẵng").click()
    expect(results.locator(".product-card")).to_have_count(2)
    expect(page.locator(".result-count")).to_contain_text("in Đà Nẵng")

    page.locator('[data-facet="stars"] a', has_text="4★ and above").click()
    expect(results.locator(".product-card")).to_have_count(1)
    expect(page.locator(".result-count")).to_contain_text("1 product in Đà Nẵng, 4★ and above")

    # An English page names a product without an English name by the glossary's (issue 21),
    # with the Vietnamese name as published beside it.
    results.locator(".product-card a", has_text="Nam Ô fish sauce").click()
    expect(page.locator("h1")).to_contain_text("Nam Ô fish sauce")
    expect(page.locator("main")).to_contain_text("Nước mắm Nam Ô")
