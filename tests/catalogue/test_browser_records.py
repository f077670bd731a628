"""A buyer checks that a product's OCOP claim is real."""

import pytest
from playwright.sync_api import expect

from tests.factories import certified_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_follows_a_product_to_its_public_record_and_verifies_it(page, live_server, site_tree):
    _home, index = site_tree
    product = certified_product(
        index, stars=5, title="Nước mắm Phú Quốc", slug="nuoc-mam-phu-quoc", name_en="Phu Quoc fish sauce"
    )
    record = product.certifications.get()

    # An old address without language: the English browser lands on the /en/ page.
    page.goto(f"{live_server.url}/products/nuoc-mam-phu-quoc/")
    expect(page).to_have_url(f"{live_server.url}/en/products/nuoc-mam-phu-quoc/")
    # The English name heads the English page; the official Vietnamese one stays beneath it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Phu Quoc fish sauce")
    expect(page.locator(".product-summary .subtitle")).to_have_text("Nước mắm Phú Quốc")
    expect(page.locator(".rating")).to_contain_text("5★ OCOP")
    page.get_by_role("link", name=f"Decision {record.decision_number}").click()

    expect(page).to_have_url(f"{live_server.url}/en/certifications/{record.pk}/")
    expect(page.get_by_role("status")).to_contain_text("VALID")

    # The same record is found by typing the product name without diacritics.
    page.goto(f"{live_server.url}/en/verify/")
    page.get_by_label("Decision number, product or producer").fill("nuoc mam phu quoc")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("table.records")).to_contain_text(record.decision_number)
    expect(page.locator("table.records")).to_contain_text("Valid")
