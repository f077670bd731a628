"""The SMTP server down while buyers send inquiries, sample orders and meeting requests: every
form is accepted, every e-mail waits in the outbox, and once the server is back each one reaches
it exactly once (counted in the real aiosmtpd's Maildir, not by our own code)."""

import datetime
import email
import sys

import pytest

from django.urls import reverse
from django.utils import timezone

from catalogue.models import Province
from marketplace.fairs.models import MeetingRequest
from marketplace.inquiries.models import Inquiry
from marketplace.orders.models import SampleOrder
from marketplace.outbox import sending
from tests.faults.conftest import Server, free_port
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair, meeting_form
from tests.marketplace.inquiry_helpers import product_form, product_url
from tests.marketplace.order_helpers import order_form, order_url

pytestmark = pytest.mark.django_db


def outbox_rows():
    return [row for outbox in sending.registered() for row in outbox.model.objects.exclude(recipient="")]


def delivered(maildir):
    new = maildir / "new"
    return sorted(new.iterdir()) if new.exists() else []


def test_mail_down_then_back_sends_every_email_once(buyer, site_tree, page_a, user_a, agency, settings, tmp_path):
    port = free_port()
    maildir = tmp_path / "mail"  # aiosmtpd's Mailbox makes the Maildir (tmp, new, cur) itself
    smtp = Server([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
                   "aiosmtpd.handlers.Mailbox", str(maildir)], port)  # fmt: skip
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    stand = exhibit(make_fair(fair_index(site_tree[0])), page_a)

    # The server is down: each form is still accepted, its first send fails and waits.
    assert buyer.post(product_url(page_a), product_form()).status_code == 302
    da_nang = Province.objects.current().get(slug="da-nang")
    assert buyer.post(order_url(page_a), order_form(province=str(da_nang.pk))).status_code == 302
    assert buyer.post(reverse("fairs:meeting-request", args=[stand.pk]), meeting_form(stand)).status_code == 302
    assert Inquiry.objects.count() == 1 and SampleOrder.objects.count() == 1 and MeetingRequest.objects.count() == 1
    waiting = outbox_rows()
    assert len(waiting) >= 5
    assert all(row.sent_at is None and row.attempts == 1 and row.last_error for row in waiting)

    smtp.start()
    try:
        # The every-minute command, after the back-off, twice: the second run finds nothing due.
        later = timezone.now() + datetime.timedelta(hours=1)
        assert sending.totals(sending.send_due(later))["sent"] == len(waiting)
        assert sending.totals(sending.send_due(later + datetime.timedelta(hours=1)))["sent"] == 0
        messages = delivered(maildir)
    finally:
        smtp.stop()
    assert len(messages) == len(waiting)
    assert all(row.sent_at for row in outbox_rows())
    # Each message names its row: a copy a killed worker may resend is recognisably the same e-mail.
    received = {email.message_from_bytes(path.read_bytes())["Message-ID"] for path in messages}
    assert received == {sending.message_id(row) for row in waiting}
