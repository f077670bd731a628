"""A buyer asks a producer for a quotation: the form, its validation, spam and double submits."""

import datetime
import time

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.inquiries.models import Inquiry, InquiryNotification
from tests.factories import certified_product
from tests.marketplace.inquiry_helpers import product_form, product_url

pytestmark = pytest.mark.django_db


def test_product_page_links_to_the_inquiry_form_which_carries_it(buyer, page_a):
    # The product page is shared by every visitor through the proxy cache: it links to the form's
    # own page (site.js brings that form into the page) and carries no form token of its own.
    product_page = buyer.get(page_a.url).content.decode()
    assert f'href="{product_url(page_a)}"' in product_page and 'name="form_token"' not in product_page
    html = buyer.get(product_url(page_a)).content.decode()
    assert f'action="{product_url(page_a)}"' in html
    assert 'name="form_token"' in html and 'name="started"' in html and 'name="website"' in html
    assert "Decree 13/2023" in html or "13/2023/NĐ-CP" in html
    # The MOQ unit comes first and is chosen.
    unit_select = html.split('name="unit"')[1].split("</select>")[0]
    assert unit_select.index('value="bottle"') < unit_select.index('value="piece"')
    assert 'value="bottle" selected' in unit_select
    assert "EXW – Ex Works" in html and "CIF – Cost, Insurance and Freight" in html


def test_buyer_sends_an_inquiry_and_everyone_is_told(buyer, page_a, user_a, agency):
    response = buyer.post(product_url(page_a), product_form())
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "inquiries:sent", args=[inquiry.thread_token]
    )
    assert list(inquiry.recipients.all()) == [page_a.producer]
    assert inquiry.email == "anna@feinkost.example.de" and inquiry.phone == "+4930901820"
    assert inquiry.product_title == page_a.title and not inquiry.below_moq
    assert inquiry.reference == f"INQ-{timezone.localtime().year}-{inquiry.pk:06d}"

    page = buyer.get(response["Location"]).content.decode()
    assert inquiry.reference in page

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"anna@feinkost.example.de", "a@cuakhe.vn", "agency@example.vn"}
    ack = by_recipient["anna@feinkost.example.de"]
    assert inquiry.reference in ack.subject
    assert reverse("inquiries:thread", args=[inquiry.thread_token]) in ack.body
    assert reverse("inquiries:erase", args=[inquiry.thread_token]) in ack.body
    # The buyer's contacts go to the producer and the agency, never back into the buyer's own copy unasked.
    assert "+4930901820" in by_recipient["a@cuakhe.vn"].body
    # Buyer's text is escaped in the HTML part of every email.
    html = by_recipient["a@cuakhe.vn"].alternatives[0][0]
    assert "&lt;b&gt;labelled&lt;/b&gt;" in html and "<b>labelled</b>" not in html
    assert InquiryNotification.objects.filter(sent_at__isnull=False).count() == 3


def test_below_moq_is_allowed_and_said(buyer, page_a):
    response = buyer.post(product_url(page_a), product_form(quantity="10"))
    inquiry = Inquiry.objects.get()
    assert inquiry.below_moq
    assert "below the producer" in buyer.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("email", "not-an-email", "email"),
        ("phone", "12345", "phone number"),
        ("phone", "+84 12", "phone number"),
        ("country", "XX", "valid choice"),
        ("quantity", "", "required"),
        ("quantity", "0", "above zero"),
        ("quantity", "-5", "above zero"),
        ("unit", "barrel", "valid choice"),
        ("incoterm", "FOO", "valid choice"),
        ("currency", "", "currency"),
        ("wanted_by", "2001-01-01", "past"),
        ("wanted_by", "31/31/2031", "valid date"),
        ("message", "", "required"),
        ("consent", None, "consent"),
        ("name", "", "required"),
    ],
)
def test_field_errors_keep_what_was_typed(buyer, page_a, field, value, error):
    data = product_form(**{field: value})
    if value is None:
        data.pop(field, None)
    response = buyer.post(product_url(page_a), data)
    assert response.status_code == 200
    assert not Inquiry.objects.exists()
    errors = response.context["form"].errors
    target = "currency" if field == "currency" else field
    assert target in errors, errors
    assert error.lower() in " ".join(errors[target]).lower()
    html = response.content.decode()
    assert 'value="Feinkost Schmidt GmbH"' in html  # what was typed stays
    if field != "message":
        assert "Please quote 500 bottles" in html


def test_national_vietnamese_number_is_accepted_for_vietnam(buyer, page_a):
    buyer.post(product_url(page_a), product_form(country="VN", phone="0912 345 678"))
    assert Inquiry.objects.get().phone == "+84912345678"


def test_double_click_and_resubmit_store_one_inquiry(buyer, page_a):
    data = product_form()
    first = buyer.post(product_url(page_a), data)
    second = buyer.post(product_url(page_a), data)
    assert Inquiry.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 2  # buyer and agency (the producer has no account here): once each


def test_honeypot_and_speed_are_refused(buyer, page_a):
    response = buyer.post(product_url(page_a), product_form(website="http://spam.example"))
    assert "automated" in response.content.decode()
    response = buyer.post(product_url(page_a), product_form(started_at=time.time()))
    assert "faster than a person" in response.content.decode()
    response = buyer.post(product_url(page_a), product_form(started="forged"))
    assert "expired or was altered" in response.content.decode()
    # The re-rendered form carries a fresh, valid stamp: the buyer can send it once a person's time passed.
    assert response.context["form"].data["started"] != "forged"
    assert not Inquiry.objects.exists()


def test_rate_limit_per_email_and_per_ip(buyer, page_a, settings):
    settings.INQUIRY_RATE_PER_EMAIL = "2/h"
    for _ in range(2):
        assert buyer.post(product_url(page_a), product_form()).status_code == 302
    refused = buyer.post(product_url(page_a), product_form())
    assert refused.status_code == 429 and "many inquiries" in refused.content.decode()
    assert 'value="Feinkost Schmidt GmbH"' in refused.content.decode()

    assert Inquiry.objects.count() == 2


def test_rate_limit_per_ip(buyer, page_a, settings):
    settings.INQUIRY_RATE_PER_IP = "2/h"
    for n in range(2):
        assert buyer.post(product_url(page_a), product_form(email=f"buyer{n}@example.de")).status_code == 302
    refused = buyer.post(product_url(page_a), product_form(email="other@example.de"))
    assert refused.status_code == 429 and "many inquiries" in refused.content.decode()
    assert Inquiry.objects.count() == 2


def test_hidden_or_unknown_product_refuses_with_a_message(buyer, product_index, producer_a):
    expired = certified_product(
        product_index, producer=producer_a, signed_on=timezone.localdate() - datetime.timedelta(days=40 * 30)
    )
    response = buyer.post(product_url(expired), product_form())
    assert response.status_code == 410 and "cannot receive inquiries" in response.content.decode()
    response = buyer.get(reverse("inquiries:product", args=[999999]))
    assert response.status_code == 404 and "no such product" in response.content.decode().lower()
    assert not Inquiry.objects.exists()


def test_standalone_form_page_and_bad_methods(buyer, page_a):
    assert buyer.get(product_url(page_a)).status_code == 200
    assert buyer.put(product_url(page_a)).status_code == 405


def test_emails_go_out_in_the_buyers_language(buyer, page_a, user_a):
    buyer.post(product_url(page_a), product_form())
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "en"
    assert InquiryNotification.objects.get(kind="buyer_ack").language == "en"


def test_tampered_hidden_fields_and_oversized_text_are_form_errors(buyer, page_a):
    response = buyer.post(product_url(page_a), product_form(form_token="not-a-uuid", started=None))
    assert response.status_code == 200
    form = response.context["form"]
    assert "form_token" in form.errors or form.non_field_errors()
    # The page goes back with a fresh token and stamp, so the next send works.
    assert form.data["form_token"] != "not-a-uuid" and form.data["started"]
    response = buyer.post(product_url(page_a), product_form(message="x" * 6000))
    assert response.status_code == 200 and "message" in response.context["form"].errors
    assert not Inquiry.objects.exists()
