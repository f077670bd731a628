"""Expiry care: reminders 90 and 30 days ahead, at most once each, and the dashboard panel."""

import datetime

import pytest

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from marketplace.models import ExpiryReminder
from marketplace.records.expiry import due_threshold
from marketplace.records.reminders import schedule_reminders
from tests.factories import CertificationFactory, ProductPageFactory

pytestmark = pytest.mark.django_db


def signed_for_expiry_in(days):
    """A signing date whose 36-month expiry falls `days` from today."""
    from dateutil.relativedelta import relativedelta

    return timezone.localdate() + datetime.timedelta(days=days) - relativedelta(months=36)


@pytest.fixture
def expiring(product_index, producer_a, user_a):
    page = ProductPageFactory(parent=product_index, producer=producer_a, title="Nước mắm nhĩ Cửa Khe")
    record = CertificationFactory(product=page, signed_on=signed_for_expiry_in(80), decision_number="77/QĐ-UBND")
    return record


def test_thresholds():
    assert [due_threshold(d) for d in (120, 91, 90, 45, 31, 30, 1)] == [None, None, 90, 90, 90, 30, 30]


def test_ninety_day_reminder_goes_to_producer_and_agency_once(expiring, agency, user_a, capsys):
    call_command("send_expiry_reminders")
    assert "1 enqueued" in capsys.readouterr().out
    (message,) = mail.outbox
    assert set(message.to) == {user_a.email, agency.email}
    assert "77/QĐ-UBND" in message.subject
    assert "expires in 80 days" in message.body
    reminder = ExpiryReminder.objects.get()
    assert reminder.threshold_days == 90 and reminder.sent_at is not None

    call_command("send_expiry_reminders")  # the same day, again
    assert "0 enqueued" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_thirty_day_reminder_follows(expiring, agency, user_a):
    schedule_reminders()
    later = timezone.localdate() + datetime.timedelta(days=55)  # 25 days left
    assert schedule_reminders(on=later) == 1
    assert schedule_reminders(on=later) == 0
    assert sorted(ExpiryReminder.objects.values_list("threshold_days", flat=True)) == [30, 90]
    assert len(mail.outbox) == 2


def test_no_reminder_for_revoked_far_or_renewed_records(product_index, producer_a, agency):
    page = ProductPageFactory(parent=product_index, producer=producer_a)
    CertificationFactory(product=page, signed_on=signed_for_expiry_in(200))
    revoked = ProductPageFactory(parent=product_index, producer=producer_a)
    CertificationFactory(
        product=revoked,
        signed_on=signed_for_expiry_in(20),
        revoked_on=timezone.localdate() - datetime.timedelta(days=3),
        revocation_reason="Không đăng ký đánh giá lại",
    )
    renewed = ProductPageFactory(parent=product_index, producer=producer_a)
    CertificationFactory(product=renewed, signed_on=signed_for_expiry_in(20))
    CertificationFactory(product=renewed, signed_on=timezone.localdate() - datetime.timedelta(days=5))
    assert schedule_reminders() == 0
    assert not mail.outbox


def test_producer_without_accounts_is_reminded_at_its_public_address(product_index, producer_b, agency):
    page = ProductPageFactory(parent=product_index, producer=producer_b)
    CertificationFactory(product=page, signed_on=signed_for_expiry_in(10))
    schedule_reminders()
    assert set(mail.outbox[0].to) == {producer_b.email, agency.email}


def test_dashboard_lists_expiring_and_expired_for_the_agency(client, agency, expiring, product_index, producer_b):
    lapsed = ProductPageFactory(parent=product_index, producer=producer_b)
    CertificationFactory(product=lapsed, signed_on=signed_for_expiry_in(-12), decision_number="12/QĐ-UBND")
    client.force_login(agency)
    html = client.get("/admin/").content.decode()
    assert "OCOP certificates: expiring and expired" in html
    assert "77/QĐ-UBND" in html and "12/QĐ-UBND" in html
    assert f"/admin/snippets/catalogue/certification/edit/{expiring.pk}/" in html


def test_dashboard_shows_a_producer_only_its_own_records(client, user_a, expiring, product_index, producer_b):
    other = ProductPageFactory(parent=product_index, producer=producer_b)
    CertificationFactory(product=other, signed_on=signed_for_expiry_in(15), decision_number="99/QĐ-UBND")
    client.force_login(user_a)
    html = client.get("/admin/").content.decode()
    assert "77/QĐ-UBND" in html and "99/QĐ-UBND" not in html
