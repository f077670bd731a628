"""Two buyers in Chromium, one browsing in English and one in Vietnamese: each searches in their
own words, opens a fish sauce, sends an inquiry, orders a sample, reaches the payment choice and
requests a meeting at a fair, and every page and every email they get is in their language."""

import re

import pytest
from playwright.sync_api import expect

from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from catalogue.models import Category
from marketplace.accounts.roles import setup_roles
from marketplace.fairs.models import MeetingRequest
from marketplace.inquiries.models import Inquiry
from marketplace.orders.models import OrderState, SampleOrder, ShippingZone
from tests.factories import ProducerFactory, certified_product, producer_user
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair
from tests.marketplace.stripe_fake import CHECKOUT_ORIGIN, FakeStripe
from tests.marketplace.test_orders_stripe import WEBHOOK_SECRET
from tests.page_tour import fresh_rate_limits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VI_NAME, EN_NAME = "Nước mắm cá cơm Phú Quốc", "Phu Quoc anchovy fish sauce"
PRODUCER_EMAIL = "hoa@hungthinh.vn"
# Each buyer: the browser's locale, what they type in the search box, who they are and where they ship.
BUYERS = {
    "en": {
        "locale": "en-US",
        "query": "fish sauce",
        "name": EN_NAME,
        "buyer": {"name": "Sophie Laurent", "company": "Maison Laurent", "email": "sophie@laurent.example.fr"},
        "phone": "+33 1 42 00 00 00",
        "country": "FR",
        "address": {"city": "Paris", "postal_code": "75011", "address_line": "12 rue Oberkampf"},
    },
    "vi": {
        "locale": "vi-VN",
        "query": "nuoc mam",
        "name": VI_NAME,
        "buyer": {"name": "Nguyễn Thị Mai", "company": "Cửa hàng Mai", "email": "mai@example.vn"},
        "phone": "0905 123 456",
        "country": "VN",
        "address": {"commune": "Phường Hải Châu", "address_line": "12 Bạch Đằng"},
    },
}


@pytest.fixture(scope="module")
def fake_stripe():
    with FakeStripe() as fake:
        yield fake


@pytest.fixture
def market(site_tree, settings, fake_stripe):
    """Two fish sauces and a honey; the first offers samples and its producer exhibits at a fair."""
    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a robot types faster than the anti-spam rule allows a person
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake_stripe.url
    settings.STRIPE_CHECKOUT_ORIGIN = CHECKOUT_ORIGIN
    fake_stripe.reset()
    home, index = site_tree
    setup_roles(home, index)
    producer = ProducerFactory(name="Công ty TNHH Nước mắm Hưng Thịnh", slug="nuoc-mam-hung-thinh")
    producer_user(producer, email=PRODUCER_EMAIL)  # no language chosen: the site's default, Vietnamese
    fish_sauce = certified_product(
        index,
        stars=5,
        producer=producer,
        title=VI_NAME,
        slug="nuoc-mam-ca-com-phu-quoc",
        name_en=EN_NAME,
        description="<p>Cá cơm ủ chượp mười hai tháng trong thùng gỗ.</p>",
        description_en="<p>Anchovies aged twelve months in wooden barrels.</p>",
        sample_available=True,
        sample_price_vnd=150_000,
    )
    certified_product(index, stars=4, title="Nước mắm Nam Ô", slug="nuoc-mam-nam-o", name_en="Nam O fish sauce")
    certified_product(
        index,
        title="Mật ong bạc hà",
        slug="mat-ong-bac-ha",
        name_en="Mint honey",
        description="<p>Mật ong hoa bạc hà Hà Giang.</p>",
        category=Category.objects.get(code="1.2.b"),
    )
    ShippingZone.objects.create(name="Europe", countries=["FR", "DE"], fee_vnd=850_000)
    fair = make_fair(fair_index(home), title="Hội chợ OCOP Phú Quốc")
    stand = exhibit(fair, fish_sauce, booth="B07")
    fresh_rate_limits()
    return {"product": fish_sauce, "fair": fair, "stand": stand}


def in_language(language, text, **values):
    """A source string as the buyer's language renders it; Vietnamese must really be translated."""
    with translation.override(language):
        translated = gettext(text)
    if language == "vi":
        assert translated != text, f"not translated: {text}"
    return translated % values if values else translated


def assert_in_language(page, language):
    """The page says it is in `language` and its header speaks it."""
    assert page.get_attribute("html", "lang") == language, page.url
    expect(page.locator(".header-search button[type=submit]")).to_have_text(in_language(language, "Search"))


def email_to(address):
    found = [m for m in mail.outbox if m.to == [address]]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_buyer_goes_from_search_to_meeting_request_in_their_language(
    browser, live_server, market, fake_stripe, language
):
    buyer = BUYERS[language]
    name, contact = buyer["name"], buyer["buyer"]
    context = browser.new_context(locale=buyer["locale"])
    page = context.new_page()
    # Stripe's hosted page is outside the test: the buyer lands on a stand-in for it.
    page.route(f"{CHECKOUT_ORIGIN}/**", lambda route: route.fulfill(body="<html><body>Stripe</body></html>"))

    # 1. Home, then the header's search box, in the buyer's own words.
    with translation.override(language):
        home = reverse("wagtail_serve", args=[""])
    page.goto(live_server.url + home)
    assert_in_language(page, language)
    page.locator("#site-q").fill(buyer["query"])
    page.locator("#site-q").press("Enter")
    expect(page.locator("h1")).to_have_text(in_language(language, "Products matching “%(q)s”", q=buyer["query"]))
    assert_in_language(page, language)
    cards = page.locator(".results .product-card")
    expect(cards).to_have_count(2)  # the two fish sauces, not the honey
    titles = cards.locator(".card-title").all_inner_texts()
    assert name in titles and "Mint honey" not in titles and "Mật ong bạc hà" not in titles
    expect(page.locator('[data-facet="category"]')).to_contain_text("Condiments" if language == "en" else "Gia vị")

    # 2. The product page, in the buyer's language down to its title.
    cards.locator(".card-link", has_text=name).click()
    expect(page.locator("h1")).to_have_text(name)
    assert_in_language(page, language)
    assert page.title().startswith(name)
    description = "Anchovies aged twelve months" if language == "en" else "Cá cơm ủ chượp"
    expect(page.locator(".product-body")).to_contain_text(description)

    # 3. An inquiry from the form the product page's link brings into it.
    page.locator("a[data-inquiry-form]").click()
    form = page.locator("form.inquiry-form")
    for field, value in contact.items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("[name=phone]").fill(buyer["phone"])
    form.locator("[name=country]").select_option(buyer["country"])
    form.locator("[name=quantity]").fill("500")
    form.locator("[name=message]").fill("Please quote 500 bottles.")
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(in_language(language, "Thank you: your inquiry was sent"))
    assert_in_language(page, language)
    expect(page.locator(".inquiry-sent")).to_contain_text(in_language(language, "About: %(title)s", title=name))
    inquiry = Inquiry.objects.get()
    assert inquiry.language == language
    ack = email_to(contact["email"])
    assert in_language(language, "We received your inquiry %(reference)s", reference=inquiry.reference) in ack.subject
    assert name in ack.body
    told = email_to(PRODUCER_EMAIL)
    assert f"Yêu cầu mới {inquiry.reference}: {VI_NAME}" in told.subject  # the producer reads Vietnamese
    mail.outbox.clear()

    # 4. Back to the product, and a sample order up to the payment choice.
    page.get_by_role("link", name=in_language(language, "Back to the product")).click()
    expect(page.locator("h1")).to_have_text(name)
    page.get_by_role("link", name=in_language(language, "Order a sample")).click()
    expect(page.locator("h1")).to_have_text(in_language(language, "Order a sample of %(title)s", title=name))
    assert_in_language(page, language)
    form = page.locator("form.sample-order-form")
    form.locator("[name=quantity]").select_option("2")
    for field, value in contact.items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("[name=phone]").fill(buyer["phone"])
    form.locator("[name=country]").select_option(buyer["country"])
    if buyer["country"] == "VN":
        form.locator("[name=province]").select_option(label="Đà Nẵng")
    for field, value in buyer["address"].items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    order = SampleOrder.objects.get()
    expect(page.locator("h1")).to_have_text(
        in_language(language, "Sample order %(reference)s", reference=order.reference)
    )
    assert_in_language(page, language)
    assert order.language == language and order.state == OrderState.PENDING
    expect(page.locator(".sample-order-detail .facts").first).to_contain_text(name)
    # The choice: a bank transfer with its VietQR code, or a card.
    expect(page.locator("#transfer-heading")).to_have_text(in_language(language, "Pay by bank transfer"))
    expect(page.locator(".vietqr svg")).to_be_visible()
    expect(page.locator("#card-heading")).to_have_text(in_language(language, "Pay by card"))
    placed = email_to(contact["email"])
    assert (
        in_language(language, "Your sample order %(reference)s: how to pay", reference=order.reference)
        in placed.subject
    )
    assert f"Đơn hàng mẫu mới {order.reference}: {VI_NAME}" in email_to(PRODUCER_EMAIL).subject
    if language == "en":
        # The foreign buyer pays by card: Stripe's page names the product as the buyer read it.
        page.locator(".pay-card button[type=submit]").click()
        page.wait_for_url(re.compile("^" + re.escape(CHECKOUT_ORIGIN) + "/"))
        [session] = [r["params"] for r in fake_stripe.requests if r["path"] == "/v1/checkout/sessions"]
        assert EN_NAME in session["line_items[0][price_data][product_data][name]"]
    mail.outbox.clear()

    # 5. The product page says where the producer exhibits; the buyer asks for a meeting there.
    with translation.override(language):
        product_url = market["product"].url
    page.goto(live_server.url + product_url)
    fairs = page.locator(".fair-appearances")
    expect(fairs.locator("h2")).to_have_text(in_language(language, "Meet us at upcoming fairs"))
    fairs.get_by_role("link", name=market["fair"].title).click()
    expect(page.locator("h1")).to_have_text(market["fair"].title)
    assert_in_language(page, language)
    stand = page.locator(".exhibitor", has_text=market["product"].producer.name)
    expect(stand).to_contain_text(name)
    stand.get_by_role("link", name=in_language(language, "Request a meeting")).click()
    assert_in_language(page, language)
    form = page.locator("form.meeting-form")
    slot, _end = market["stand"].open_slots()[0]
    form.locator("[name=slot]").select_option(slot.isoformat())
    for field, value in contact.items():
        form.locator(f"[name={field}]").fill(value)
    form.locator("[name=country]").select_option(buyer["country"])
    form.locator("[name=message]").fill("Let us taste the 43°N.")
    form.locator("[name=consent]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(in_language(language, "Thank you: your meeting request was sent"))
    assert_in_language(page, language)
    meeting = MeetingRequest.objects.get()
    assert meeting.language == language and meeting.starts_at == slot
    producer = market["product"].producer.name
    ack = email_to(contact["email"])
    assert (
        in_language(
            language,
            "Meeting request %(reference)s sent to %(producer)s",
            reference=meeting.reference,
            producer=producer,
        )
        in ack.subject
    )
    assert f"Yêu cầu lịch gặp mới {meeting.reference}" in email_to(PRODUCER_EMAIL).subject
    context.close()
