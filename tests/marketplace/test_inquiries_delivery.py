"""A failing mail server neither loses nor duplicates an inquiry; a send that finally failed can be resent."""

import datetime

import pytest

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from marketplace.inquiries.models import Inquiry, InquiryNotification
from marketplace.outbox import sending
from tests.marketplace.inquiry_helpers import product_form, product_url

pytestmark = pytest.mark.django_db

FAILING = "tests.marketplace.inquiry_helpers.FailingEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def test_mail_server_down_retries_then_fails_visibly_and_resend_works(buyer, client, page_a, user_a, agency, settings):
    settings.EMAIL_BACKEND = FAILING
    response = buyer.post(product_url(page_a), product_form())
    # The buyer still gets the confirmation: the inquiry was committed before any email.
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    rows = InquiryNotification.objects.filter(inquiry=inquiry)
    assert rows.count() == 3
    assert all(r.attempts == 1 and r.sent_at is None and "mail server down" in r.last_error for r in rows)

    # Not yet due: the backoff holds the next attempt.
    assert sending.totals(sending.send_due()) == {"sent": 0, "pending": 0, "failed": 0}
    now = timezone.now()
    for _ in range(sending.MAX_ATTEMPTS - 1):
        now += datetime.timedelta(hours=1)
        sending.send_due(now)
    rows = list(InquiryNotification.objects.filter(inquiry=inquiry))
    assert all(r.attempts == sending.MAX_ATTEMPTS and r.gave_up_at and not r.sent_at for r in rows)
    assert Inquiry.objects.count() == 1 and mail.outbox == []

    # The agency sees the failures and resends once the server is back.
    client.force_login(agency)
    page = client.get(reverse("marketplace_inquiry_notifications")).content.decode()
    assert inquiry.reference in page and "mail server down" in page
    assert "emails failed" in client.get(reverse("wagtailadmin_home")).content.decode()
    settings.EMAIL_BACKEND = LOCMEM
    for row in rows:
        client.post(reverse("marketplace_inquiry_notifications"), {"notification": row.pk})
    assert sorted(m.to[0] for m in mail.outbox) == ["a@cuakhe.vn", "agency@example.vn", "anna@feinkost.example.de"]
    assert InquiryNotification.objects.filter(sent_at__isnull=False).count() == 3
    # Running the retry command again sends nothing twice.
    call_command("send_pending_notifications")
    assert len(mail.outbox) == 3


def test_retry_succeeds_when_the_server_comes_back(buyer, page_a, user_a, settings, capsys):
    settings.EMAIL_BACKEND = FAILING
    buyer.post(product_url(page_a), product_form())
    settings.EMAIL_BACKEND = LOCMEM
    InquiryNotification.objects.update(next_attempt_at=timezone.now())
    call_command("send_pending_notifications")
    assert "2 sent" in capsys.readouterr().out
    assert len(mail.outbox) == 2
    assert all(r.attempts == 2 for r in InquiryNotification.objects.all())
    assert (
        sending.deliver("marketplace.inquirynotification", InquiryNotification.objects.first().pk) == "sent"
    )  # a late duplicate task: no email
    assert len(mail.outbox) == 2


def test_a_queue_that_refuses_work_loses_nothing(buyer, page_a, monkeypatch):
    class BrokenQueue:
        def enqueue(self, *args, **kwargs):
            raise RuntimeError("task queue down")

    monkeypatch.setattr(sending, "send_outbox_email", BrokenQueue())
    assert buyer.post(product_url(page_a), product_form()).status_code == 302
    assert Inquiry.objects.count() == 1
    assert InquiryNotification.objects.filter(attempts=0, sent_at__isnull=True).count() == 2
    monkeypatch.undo()
    call_command("send_pending_notifications")
    assert len(mail.outbox) == 2


def test_resend_refuses_unknown_rows(client, agency):
    client.force_login(agency)
    response = client.post(reverse("marketplace_inquiry_notifications"), {"notification": "999"})
    assert response.status_code in (302, 403)
