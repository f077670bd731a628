"""In a real browser: from the product page to the order form to the VietQR code, under the site's CSP."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from marketplace.accounts.roles import setup_roles
from marketplace.orders import vietqr
from marketplace.orders.models import SampleOrder, SampleOrderSettings
from tests.factories import ProducerFactory
from tests.marketplace.order_helpers import sample_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_orders_a_sample_and_gets_a_vietqr_code(page, live_server, site_tree, settings, tmp_path):
    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a robot types faster than the anti-spam rule allows a person
    home, index = site_tree
    setup_roles(home, index)
    producer = ProducerFactory(name="HTX Nước mắm Cửa Khe", slug="htx-nuoc-mam-cua-khe")
    product = sample_product(index, producer)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}{product.url}")
    page.click("a.sample-order-link")
    page.wait_for_selector("form.sample-order-form")
    form = page.locator("form.sample-order-form")
    form.locator("[name=quantity]").select_option("2")
    form.locator("[name=name]").fill("Nguyễn Thị Mai")
    form.locator("[name=email]").fill("mai@example.vn")
    form.locator("[name=phone]").fill("0905 123 456")
    form.locator("[name=country]").select_option("VN")
    form.locator("[name=province]").select_option(label="Đà Nẵng")
    form.locator("[name=commune]").fill("Hải Châu")
    form.locator("[name=address_line]").fill("12 Bạch Đằng")
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".vietqr svg")

    order = SampleOrder.objects.get()
    assert re.search(rf"/samples/{re.escape(order.access_token)}/$", page.url)
    assert page.locator(".account-number").inner_text() == "0011001234567"
    assert page.locator(".transfer-reference").inner_text() == order.transfer_reference
    assert order.total_vnd == 2 * 120_000 + 35_000
    box = page.locator(".vietqr svg").bounding_box()
    assert box["width"] >= 200 and box["height"] >= 200
    # The code drawn is the order's VietQR payload: the same SVG the server renders from it.
    expected = vietqr.svg(vietqr.payload("970436", "0011001234567", order.total_vnd, order.transfer_reference))
    drawn = page.locator(".vietqr svg path").get_attribute("d")
    assert drawn and drawn in expected
    assert not [e for e in errors if "Content Security Policy" in e]

    # What a banking app's camera reads: the screenshot of the code decodes to the order's payload.
    shot = tmp_path / "vietqr.png"
    page.locator(".vietqr").screenshot(path=str(shot))
    decoded = subprocess.run(  # noqa: S603 (Debian's zbarimg, fixed arguments)
        ["/usr/bin/zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, timeout=30, check=True
    ).stdout.strip()
    assert decoded == vietqr.for_order(order, SampleOrderSettings.load())
    fields = vietqr.parse(decoded)
    assert fields["54"] == str(order.total_vnd) and vietqr.parse(fields["62"])["08"] == order.transfer_reference


def test_the_ward_list_follows_the_province_and_a_former_name_is_understood(page, live_server, site_tree, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    home, index = site_tree
    setup_roles(home, index)
    product = sample_product(index, ProducerFactory(name="HTX Nước mắm Cửa Khe", slug="htx-nuoc-mam-cua-khe"))
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}{product.url}")
    page.click("a.sample-order-link")
    form = page.locator("form.sample-order-form")
    # site.js fills the suggestions itself, so the no-script step's button is gone.
    assert form.locator("button.show-wards").count() == 0
    assert form.locator("#id_commune-wards option").count() == 0
    form.locator("[name=province]").select_option(label="Đà Nẵng")
    expect(form.locator("#id_commune-wards option")).to_have_count(94)
    assert "Phường Hải Châu" in form.locator("#id_commune-wards option").evaluate_all("os => os.map(o => o.value)")
    assert form.locator("[name=commune]").get_attribute("list") == "id_commune-wards"

    form.locator("[name=name]").fill("Nguyễn Thị Mai")
    form.locator("[name=email]").fill("mai@example.vn")
    form.locator("[name=phone]").fill("0905 123 456")
    form.locator("[name=commune]").fill("thach thang")
    form.locator("[name=address_line]").fill("12 Bạch Đằng")
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".vietqr svg")
    assert SampleOrder.objects.get().commune == "Phường Hải Châu"
    assert "“Phường Thạch Thang” is now part of “Phường Hải Châu”" in page.locator(".messages").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e]
