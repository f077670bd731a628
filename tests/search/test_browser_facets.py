"""In Chromium: on a phone the search filters fold into one "Filters" summary that opens and works,
with or without JavaScript; on a desktop they stand open beside the results, as a sidebar."""

import re

import pytest
from playwright.sync_api import expect

from django.urls import reverse
from django.utils import translation

from .conftest import listed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def honey(product_index):
    listed(product_index, "Mật ong hoa nhãn Hưng Yên", stars=4, province="hung-yen")
    listed(product_index, "Mật ong bạc hà Hà Giang", stars=5, province="tuyen-quang")
    listed(product_index, "Mật ong rừng U Minh", stars=3, province="ca-mau")


def open_search(browser, live_server, viewport, language="en", javascript=True):
    context = browser.new_context(
        viewport=viewport, java_script_enabled=javascript, extra_http_headers={"Accept-Language": language}
    )
    page = context.new_page()
    with translation.override(language):
        page.goto(f"{live_server.url}{reverse('search:search')}?q=mat+ong")
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_phone_the_filters_fold_into_a_summary_that_opens_and_filters(browser, live_server, honey, javascript):
    page = open_search(browser, live_server, PHONE, javascript=javascript)
    summary = page.locator(".facets summary")
    province = page.locator('[data-facet="province"] a', has_text="Hưng Yên")
    expect(summary).to_be_visible()
    expect(summary).to_have_text("Filters")
    expect(province).to_be_hidden()
    expect(page.locator(".results .product-card")).to_have_count(3)

    summary.click()
    expect(province).to_be_visible()
    province.click()

    expect(page).to_have_url(re.compile(r"province=hung-yen"))
    expect(page.locator(".results .product-card")).to_have_count(1)
    # The next page folds them again, and says how many are set.
    expect(summary).to_have_text("Filters (1 active)")
    expect(page.locator('[data-facet="stars"] a').first).to_be_hidden()
    summary.click()
    page.locator('[data-facet="stars"] a', has_text="4★").click()
    expect(page).to_have_url(re.compile(r"stars=4"))
    expect(summary).to_have_text("Filters (2 active)")
    # Nothing reaches past the screen's edge.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.context.close()


def test_the_summary_speaks_vietnamese_on_a_vietnamese_page(browser, live_server, honey):
    page = open_search(browser, live_server, PHONE, language="vi")
    expect(page.locator(".facets summary")).to_have_text("Bộ lọc")
    page.locator(".facets summary").click()
    page.locator('[data-facet="province"] a', has_text="Cà Mau").click()
    expect(page.locator(".facets summary")).to_have_text("Bộ lọc (1 đang áp dụng)")
    page.context.close()


def test_on_a_desktop_the_filters_stand_open_beside_the_results(browser, live_server, honey):
    page = open_search(browser, live_server, DESKTOP)
    expect(page.locator(".facets summary")).to_be_hidden()
    # Open for real, not only drawn open: the headings inside count for screen readers and axe.
    expect(page.locator("details.facet-panel")).to_have_attribute("open", "")
    province = page.locator('[data-facet="province"] a', has_text="Hưng Yên")
    expect(province).to_be_visible()
    facets, results = page.locator(".facets").bounding_box(), page.locator(".results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"], (facets, results)  # a sidebar, on the left

    province.click()
    expect(page.locator(".results .product-card")).to_have_count(1)
    expect(page.locator('[data-facet="stars"] a').first).to_be_visible()
    page.context.close()


def test_on_a_desktop_without_javascript_the_filters_are_still_shown(browser, live_server, honey):
    page = open_search(browser, live_server, DESKTOP, javascript=False)
    expect(page.locator(".facets summary")).to_be_hidden()
    expect(page.locator('[data-facet="province"] a', has_text="Hưng Yên")).to_be_visible()
    page.context.close()
