"""Producers answer their own inquiries in the admin; the buyer follows and answers on a private link."""

import re

import pytest

from django.core import mail
from django.urls import reverse

from marketplace.inquiries.models import Inquiry, InquiryMessage
from tests.marketplace.inquiry_helpers import product_form, product_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry_a(buyer, page_a, user_a):
    buyer.post(product_url(page_a), product_form(message="Need <script>alert(1)</script> 500 bottles"))
    return Inquiry.objects.get(product=page_a)


@pytest.fixture
def inquiry_b(buyer, page_b, user_b):
    buyer.post(product_url(page_b), product_form(email="tea@example.de", name="Tea Buyer"))
    return Inquiry.objects.get(product=page_b)


def thread_link(inquiry):
    return reverse("inquiries:thread", args=[inquiry.thread_token])


def test_every_inbox_view_isolates_producers(client, inquiry_a, inquiry_b, user_a, user_b):
    client.force_login(user_a)
    listing = client.get(reverse("marketplace_inquiries") + "?status=all").content.decode()
    assert inquiry_a.reference in listing and inquiry_b.reference not in listing
    assert "Tea Buyer" not in listing and "tea@example.de" not in listing
    assert client.get(reverse("marketplace_inquiry", args=[inquiry_a.pk])).status_code == 200
    # Someone else's inquiry: 404 for reading, answering, changing status, routing and exporting.
    assert client.get(reverse("marketplace_inquiry", args=[inquiry_b.pk])).status_code == 404
    assert client.post(reverse("marketplace_inquiry", args=[inquiry_b.pk]), {"body": "hi"}).status_code == 404
    assert (
        client.post(
            reverse("marketplace_inquiry", args=[inquiry_b.pk]), {"action": "status", "status": "closed"}
        ).status_code
        == 404
    )
    # Agency-only screens send a producer back to the dashboard (Wagtail's answer to PermissionDenied).
    for url in (
        reverse("marketplace_inquiry_route", args=[inquiry_a.pk]),
        reverse("marketplace_inquiries_export") + "?status=all",
        reverse("marketplace_inquiry_notifications"),
    ):
        refused = client.get(url)
        assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home"), url
    # Search cannot reach across either.
    assert (
        inquiry_b.reference not in client.get(reverse("marketplace_inquiries") + "?status=all&q=Tea").content.decode()
    )
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Inquiries" in dashboard or "inquiries" in dashboard
    inquiry_b.refresh_from_db()
    assert inquiry_b.status == "new" and not inquiry_b.messages.exists()


def test_buyer_text_is_escaped_in_the_admin_and_thread(client, buyer, inquiry_a, user_a):
    client.force_login(user_a)
    html = client.get(reverse("marketplace_inquiry", args=[inquiry_a.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)</script>" not in html
    html = buyer.get(thread_link(inquiry_a)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)</script>" not in html


def test_reply_reaches_the_buyer_and_the_buyers_answer_reaches_the_producer(client, buyer, inquiry_a, user_a):
    client.force_login(user_a)
    mail.outbox.clear()
    response = client.post(
        reverse("marketplace_inquiry", args=[inquiry_a.pk]),
        {"action": "reply", "body": "FOB Đà Nẵng 2,10 EUR a bottle, 30 days."},
    )
    assert response.status_code == 302
    inquiry_a.refresh_from_db()
    assert inquiry_a.status == "replied"
    reply = InquiryMessage.objects.get()
    assert reply.producer == inquiry_a.product.producer and reply.user == user_a
    [email] = mail.outbox
    assert email.to == ["anna@feinkost.example.de"] and "2,10 EUR" in email.body
    link = re.search(r"https?://\S+/inquiries/thread/[^/\s]+/", email.body).group(0)

    thread = buyer.get(link.split("testserver", 1)[1])
    assert thread.status_code == 200 and "2,10 EUR" in thread.content.decode()
    assert thread["Referrer-Policy"] == "same-origin"

    mail.outbox.clear()
    answer = buyer.post(thread_link(inquiry_a), {"body": "Agreed, please send a proforma.", "website": ""})
    assert answer.status_code == 302
    buyer.post(thread_link(inquiry_a), {"body": "Agreed, please send a proforma.", "website": ""})  # double click
    assert inquiry_a.messages.filter(author="buyer").count() == 1
    assert [m.to for m in mail.outbox] == [["a@cuakhe.vn"]]
    inquiry_a.refresh_from_db()
    assert inquiry_a.status == "new"
    assert "proforma" in client.get(reverse("marketplace_inquiry", args=[inquiry_a.pk])).content.decode()


def test_thread_link_must_be_exact(buyer, inquiry_a):
    assert buyer.get(reverse("inquiries:thread", args=["guess"])).status_code == 404
    assert buyer.get(reverse("inquiries:thread", args=[inquiry_a.thread_token[:-1] + "x"])).status_code == 404
    assert len(inquiry_a.thread_token) >= 40
    empty = buyer.post(thread_link(inquiry_a), {"body": "   "})
    assert empty.status_code == 200 and empty.context["form"].errors["body"]


def test_status_tabs_and_counts(client, inquiry_a, user_a):
    client.force_login(user_a)
    client.post(reverse("marketplace_inquiry", args=[inquiry_a.pk]), {"action": "status", "status": "closed"})
    inquiry_a.refresh_from_db()
    assert inquiry_a.status == "closed" and inquiry_a.closed_at
    assert inquiry_a.reference in client.get(reverse("marketplace_inquiries") + "?status=closed").content.decode()
    assert inquiry_a.reference not in client.get(reverse("marketplace_inquiries") + "?status=new").content.decode()
    bad = client.post(reverse("marketplace_inquiry", args=[inquiry_a.pk]), {"action": "status", "status": "zzz"})
    assert bad.status_code == 302
    assert client.get(reverse("marketplace_inquiries") + "?status=nonsense&page=abc").status_code == 200


def test_agency_sees_everything_and_reassigns(client, agency, inquiry_a, inquiry_b, producer_b, user_b):
    client.force_login(agency)
    listing = client.get(reverse("marketplace_inquiries") + "?status=all").content.decode()
    assert inquiry_a.reference in listing and inquiry_b.reference in listing
    detail = client.get(reverse("marketplace_inquiry", args=[inquiry_a.pk])).content.decode()
    assert "anna@feinkost.example.de" in detail and "Acknowledgement" in detail or "buyer" in detail
    mail.outbox.clear()
    response = client.post(reverse("marketplace_inquiry_route", args=[inquiry_a.pk]), {"producer": [producer_b.pk]})
    assert response.status_code == 302
    assert list(inquiry_a.recipients.all()) == [producer_b]
    assert [m.to for m in mail.outbox] == [["b@tancuong.vn"]]
    client.force_login(user_b)
    assert client.get(reverse("marketplace_inquiry", args=[inquiry_a.pk])).status_code == 200


def test_erase_on_request(buyer, client, agency, inquiry_a):
    erase_url = reverse("inquiries:erase", args=[inquiry_a.thread_token])
    assert "cannot be undone" in buyer.get(erase_url).content.decode()
    assert buyer.post(erase_url).status_code == 200
    inquiry_a.refresh_from_db()
    assert inquiry_a.erased_at and inquiry_a.status == "closed"
    assert (inquiry_a.name, inquiry_a.email, inquiry_a.phone, inquiry_a.message) == ("", "", "", "")
    assert inquiry_a.country.code == "DE" and inquiry_a.product_id  # anonymous figures stay
    assert buyer.get(erase_url).status_code == 404
    client.force_login(agency)
    assert "erased" in client.get(reverse("marketplace_inquiry", args=[inquiry_a.pk])).content.decode()


def test_dashboard_counts_only_the_producers_own(rf, inquiry_a, inquiry_b, user_a, agency):
    from marketplace.inquiries.panels import InquiryPanel

    request = rf.get("/admin/")
    request.user = user_a
    counts = InquiryPanel().get_context_data({"request": request})["counts"]
    assert (counts["new"], counts["all"]) == (1, 1)
    request.user = agency
    context = InquiryPanel().get_context_data({"request": request})
    assert context["counts"]["all"] == 2 and context["is_agency"]
