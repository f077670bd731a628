"""A buyer in Chromium rates a delivered sample in Vietnamese from the link the delivery e-mail
gave: a form sent without scores comes back with every error in their language and the comment
kept; sent again it publishes the review once, and the product page shows it, in the language it
was written in, without the buyer's name."""

import pytest
from playwright.sync_api import expect

from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext

from marketplace.orders.reviews import SampleReview
from tests.marketplace.test_reviews import delivered, review_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Nước mắm thơm, độ đạm cao; chai đóng gói kỹ, không rò rỉ."


def vietnamese(text):
    with translation.override("vi"):
        translated = gettext(text)
    assert translated != text, f"not translated: {text}"
    return translated


def test_a_buyer_rates_a_delivered_sample_in_vietnamese(browser, live_server, sample_a, agency):
    order = delivered(sample_a, agency, language="vi", country="VN", email="mai@example.vn", name="Nguyễn Thị Mai")
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(live_server.url + review_url(order, "vi"))
    assert page.get_attribute("html", "lang") == "vi"
    expect(page.locator("h1")).to_contain_text(sample_a.title)

    # No scores chosen: each of the three says so, in Vietnamese, and the comment is still there.
    page.locator("#id_comment").fill(COMMENT)
    page.locator(".review-form button[type=submit]").click()
    expect(page.locator(".review-form .field-errors")).to_have_count(3)
    expect(page.locator(".review-form .field-errors").first).to_have_text(vietnamese("This field is required."))
    expect(page.locator("#id_comment")).to_have_value(COMMENT)
    assert not SampleReview.objects.exists()

    for field, score in (("quality", 5), ("packaging", 4), ("communication", 3)):
        page.locator(f'input[name="{field}"][value="{score}"]').check()
    page.locator(".review-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(vietnamese("Thank you: your review is published."))
    expect(page.locator(".review-form")).to_have_count(0)  # one review per order: no form any more
    expect(page.locator(".review blockquote")).to_have_text(COMMENT)
    review = SampleReview.objects.get()
    assert (review.order_id, review.quality, review.packaging, review.communication) == (order.pk, 5, 4, 3)
    assert review.language == "vi" and review.comment == COMMENT

    # The product page, in English too (Vietnamese writes the decimal point as a comma): the review
    # in the words and language it was written in, never naming the buyer.
    for language, rating in (("vi", f"{review.rating:.1f}".replace(".", ",")), ("en", f"{review.rating:.1f}")):
        page.goto(live_server.url + translate_url(sample_a.url, language))
        reviews = page.locator("section.reviews")
        expect(reviews.locator("blockquote")).to_have_text(COMMENT)
        assert reviews.locator("blockquote").get_attribute("lang") == "vi"
        expect(reviews.locator(".review-rating")).to_have_text(f"{rating}/5")  # 4,0 in Vietnamese
        assert "Nguyễn Thị Mai" not in reviews.inner_text() and "mai@example.vn" not in page.content()
