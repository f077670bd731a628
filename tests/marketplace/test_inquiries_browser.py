"""In a real browser: a buyer asks from a product page, the producer answers, the buyer reads it on the private link."""

import re

import pytest
from playwright.sync_api import expect

from django.core import mail

from marketplace.accounts.roles import setup_roles
from marketplace.inquiries.models import Inquiry
from tests.factories import ProducerFactory, certified_product, producer_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # UserFactory's


def test_buyer_to_confirmation_to_thread_and_back(page, live_server, site_tree, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a robot types faster than the anti-spam rule allows a person
    home, index = site_tree
    setup_roles(home, index)
    producer = ProducerFactory(name="HTX Nước mắm Cửa Khe", slug="htx-nuoc-mam-cua-khe")
    product = certified_product(index, producer=producer, title="Nước mắm Cửa Khe", slug="nuoc-mam-cua-khe")
    producer_user(producer, email="hoa@cuakhe.vn")

    page.goto(f"{live_server.url}{product.url}")
    # The cached product page carries a link; with JavaScript the form comes into the page in its place.
    page.locator("a[data-inquiry-form]").click()
    form = page.locator("form.inquiry-form")
    expect(form.locator("[name=name]")).to_be_focused()
    assert page.url == f"{live_server.url}{product.url}"
    form.locator("[name=name]").fill("Anna Schmidt")
    form.locator("[name=company]").fill("Feinkost <Schmidt>")
    form.locator("[name=email]").fill("anna@feinkost.example.de")
    form.locator("[name=phone]").fill("+49 30 901820")
    form.locator("[name=country]").select_option("DE")
    form.locator("[name=quantity]").fill("40")
    form.locator("[name=incoterm]").select_option("FOB")
    form.locator("[name=destination]").fill("Hamburg")
    form.locator("[name=message]").fill("Trial order first, please.")
    # Forgot consent: a field-level message, and what was typed stays.
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".consent .field-errors")
    assert page.locator("[name=company]").input_value() == "Feinkost <Schmidt>"
    assert Inquiry.objects.count() == 0
    page.locator("[name=consent]").check()
    page.locator("form.inquiry-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/inquiries/sent/.*"))
    inquiry = Inquiry.objects.get()
    assert inquiry.reference in page.content() and inquiry.below_moq
    assert "below the producer" in page.content()

    ack = next(m for m in mail.outbox if m.to == ["anna@feinkost.example.de"])
    # The link opens the thread in the language the buyer wrote in.
    link = re.search(r"http://testserver(/en/inquiries/thread/\S+/)", ack.body).group(1)

    # The producer answers in the admin.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "hoa@cuakhe.vn")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/inquiries/{inquiry.pk}/")
    assert "Feinkost &lt;Schmidt&gt;" in page.content()
    page.fill("textarea[name=body]", "Yes: 40 bottles at the sample price, FOB Đà Nẵng.")
    page.click("form:has(textarea[name=body]) button[type=submit]")
    page.wait_for_load_state()

    # The buyer's private link shows the reply and takes an answer.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link}")
    assert "Yes: 40 bottles at the sample price" in page.content()
    page.fill("textarea[name=body]", "Great, please send a proforma invoice.")
    page.click("form.inquiry-form button[type=submit]")
    page.wait_for_selector("text=Your answer was sent to the producer.")
    assert inquiry.messages.filter(author="buyer").count() == 1


def test_without_javascript_the_link_leads_to_the_form_page_and_the_inquiry_is_sent(
    browser, live_server, site_tree, settings
):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    home, index = site_tree
    setup_roles(home, index)
    product = certified_product(index, producer=ProducerFactory(), title="Mật ong bạc hà", slug="mat-ong-bac-ha")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{product.url}")
    page.locator("a[data-inquiry-form]").click()
    page.wait_for_url(re.compile(rf".*/inquiries/product/{product.pk}/$"))
    form = page.locator("form.inquiry-form")
    form.locator("[name=name]").fill("Anna Schmidt")
    form.locator("[name=email]").fill("anna@feinkost.example.de")
    form.locator("[name=country]").select_option("DE")
    form.locator("[name=quantity]").fill("40")
    form.locator("[name=message]").fill("A first order, please.")
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/inquiries/sent/.*"))
    assert Inquiry.objects.get().product_id == product.pk
    context.close()
