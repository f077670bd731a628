"""Each email in its recipient's language, from the first message to the last step: the buyer's
in the language they used on the site (stored with the inquiry, order or meeting), the
producer's and the agency's in their admin language (Vietnamese unless they chose English),
whoever triggers the step and in whatever language. A buyer reads the product's English name."""

import re

import pytest

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from marketplace.fairs.models import MeetingRequest
from marketplace.inquiries.models import Inquiry
from marketplace.orders.models import SampleOrder
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair, meeting_form
from tests.marketplace.inquiry_helpers import product_form
from tests.marketplace.order_helpers import order_form, sample_product
from tests.marketplace.test_translations_marketplace import prefer

pytestmark = pytest.mark.django_db

VI_NAME, EN_NAME = "Nước mắm Cửa Khe", "Cua Khe fish sauce"
BUYER, PRODUCER, AGENCY = "sophie@laurent.example.fr", "a@cuakhe.vn", "agency@example.vn"


@pytest.fixture
def product(product_index, producer_a):
    return sample_product(product_index, producer_a, name_en=EN_NAME)


def browser(language):
    return Client(headers={"accept-language": language})


def url(language, name, *args):
    """A public URL as a visitor browsing in `language` reaches it (with its prefix, once URLs carry one)."""
    with translation.override(language):
        return reverse(name, args=args)


def to(address):
    found = [m for m in mail.outbox if m.to == [address]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


def html_of(message):
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def test_an_english_inquiry_is_acknowledged_in_english_and_the_producer_told_in_vietnamese(product, user_a, agency):
    form = product_form(email=BUYER)
    assert browser("en").post(url("en", "inquiries:product", product.pk), form).status_code == 302
    inquiry = Inquiry.objects.get(form_token=form["form_token"])
    assert inquiry.language == "en"

    ack = to(BUYER)
    assert ack.subject.endswith(f"We received your inquiry {inquiry.reference}")
    assert f"Your inquiry about “{EN_NAME}” was passed on" in ack.body
    assert f"Product: {EN_NAME}" in ack.body
    assert VI_NAME not in ack.body
    assert '<html lang="en">' in html_of(ack) and EN_NAME in html_of(ack)
    assert re.search(r"https?://\S+/inquiries/thread/\S+", ack.body)

    for address in (PRODUCER, AGENCY):
        told = to(address)
        assert f"Yêu cầu mới {inquiry.reference}: {VI_NAME}" in told.subject
        assert f"Sản phẩm: {VI_NAME}" in told.body and "Mã tham chiếu" in told.body
        assert EN_NAME not in told.body


def test_replies_reach_the_buyer_in_the_buyers_language_whoever_writes_them(product, user_a):
    form = product_form(email=BUYER)
    browser("en").post(url("en", "inquiries:product", product.pk), form)
    inquiry = Inquiry.objects.get(form_token=form["form_token"])
    mail.outbox.clear()

    producer = browser("vi")  # the producer works in Vietnamese
    producer.force_login(user_a)
    producer.post(reverse("marketplace_inquiry", args=[inquiry.pk]), {"action": "reply", "body": "Giá FOB 2,10 EUR."})
    reply = to(BUYER)
    assert reply.subject.endswith(f"Answer to your inquiry {inquiry.reference}")
    assert f"answered your inquiry about “{EN_NAME}”" in reply.body and "Giá FOB 2,10 EUR." in reply.body

    mail.outbox.clear()
    thread = url("en", "inquiries:thread", inquiry.thread_token)
    assert browser("en").post(thread, {"body": "Agreed.", "website": ""}).status_code == 302
    answer = to(PRODUCER)
    assert f"Người mua đã trả lời trong {inquiry.reference}" in answer.subject
    assert VI_NAME in answer.body


def test_a_producer_who_chose_english_reads_english(product, user_a):
    prefer(user_a, "en")
    form = product_form(email="mai@example.vn")
    assert browser("vi").post(url("vi", "inquiries:product", product.pk), form).status_code == 302
    inquiry = Inquiry.objects.get(form_token=form["form_token"])
    assert inquiry.language == "vi"
    assert f"Chúng tôi đã nhận được yêu cầu {inquiry.reference} của bạn" in to("mai@example.vn").subject
    assert VI_NAME in to("mai@example.vn").body
    told = to(PRODUCER)
    assert f"New inquiry {inquiry.reference}: {EN_NAME}" in told.subject


def test_a_sample_order_speaks_to_the_buyer_in_english_at_every_step(product, da_nang, user_a, agency):
    form = order_form(email=BUYER, province=str(da_nang.pk))
    assert browser("en").post(url("en", "orders:order", product.pk), form).status_code == 302
    order = SampleOrder.objects.get(form_token=form["form_token"])
    assert order.language == "en"
    placed = to(BUYER)
    assert placed.subject.endswith(f"Your sample order {order.reference}: how to pay")
    assert f"Thank you for ordering a sample of “{EN_NAME}”" in placed.body
    assert f"Product: {EN_NAME} × 2" in placed.body and "Transfer note (write exactly)" in placed.body
    assert '<html lang="en">' in html_of(placed)
    assert f"Đơn hàng mẫu mới {order.reference}: {VI_NAME}" in to(PRODUCER).subject
    assert f"Đơn hàng mẫu mới {order.reference}: {VI_NAME}" in to(AGENCY).subject

    # The agency confirms the transfer in Vietnamese; the buyer still reads English.
    mail.outbox.clear()
    staff = browser("vi")
    staff.force_login(agency)
    staff.post(reverse("marketplace_sample_order", args=[order.pk]), {"action": "confirm"})
    paid = to(BUYER)
    assert paid.subject.endswith(f"{order.reference} is paid")
    assert f"We received the payment for your sample of “{EN_NAME}”" in paid.body
    assert f"{order.reference} đã được thanh toán" in to(PRODUCER).subject

    # The buyer's order page names the product as the buyer's pages do.
    html = browser("en").get(url("en", "orders:detail", order.access_token)).content.decode()
    assert EN_NAME in html


def test_a_meeting_request_is_confirmed_to_the_buyer_in_english_and_to_the_producer_in_vietnamese(
    site_tree, product, user_a
):
    stand = exhibit(make_fair(fair_index(site_tree[0])), product, booth="A01")
    form = meeting_form(stand, email=BUYER)
    assert browser("en").post(url("en", "fairs:meeting-request", stand.pk), form).status_code == 302
    meeting = MeetingRequest.objects.get()
    assert meeting.language == "en"
    ack = to(BUYER)
    assert ack.subject.endswith(f"Meeting request {meeting.reference} sent to {product.producer.name}")
    assert "Time (Vietnam):" in ack.body
    assert f"Yêu cầu lịch gặp mới {meeting.reference} tại {stand.fair.title}" in to(PRODUCER).subject

    mail.outbox.clear()
    producer = browser("vi")
    producer.force_login(user_a)
    producer.post(reverse("marketplace_meeting", args=[meeting.pk]), {"decision": "accept", "note": "Gian A01"})
    confirmed = to(BUYER)
    assert "Meeting confirmed:" in confirmed.subject and "The producer's note: Gian A01" in confirmed.body
    assert confirmed.attachments[0][0] == f"{meeting.reference}.ics"
    assert "Đã xác nhận lịch gặp:" in to(PRODUCER).subject
