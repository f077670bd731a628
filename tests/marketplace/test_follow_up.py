"""The reply-time promise: a reminder after two working days unanswered, escalation to the agency
after four, the agency answering on the producer's behalf or reassigning, every step logged once."""

import datetime

import pytest

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from catalogue.working_hours import TIMEZONE
from marketplace.inquiries.follow_up import run
from marketplace.inquiries.models import Inquiry, InquiryFollowUp, InquiryMessage, InquiryNotification

pytestmark = pytest.mark.django_db
Step = InquiryFollowUp.Step
Kind = InquiryNotification.Kind


def at(*args):
    return datetime.datetime(*args, tzinfo=TIMEZONE)


@pytest.fixture
def waiting(producer_a, user_a, agency, page_a):
    """An inquiry to producer A received Monday 2 March 2026 at 9:00, unanswered."""
    inquiry = Inquiry.objects.create(
        product=page_a,
        product_title=page_a.title,
        name="Anna Schmidt",
        email="anna@example.de",
        country="DE",
        language="en",
        message="Please quote 500 bottles.",
        consent_at=at(2026, 3, 2, 9),
        created_at=at(2026, 3, 2, 9),
    )
    inquiry.recipients.set([producer_a])
    return inquiry


def sent(kind):
    rows = InquiryNotification.objects.filter(kind=kind, sent_at__isnull=False)
    return list(rows.values_list("recipient", flat=True))


def subjects(to):
    return [m.subject for m in mail.outbox if to in m.to]


def test_reminder_after_two_working_days_then_escalation_after_four_each_once(waiting, user_a, agency):
    # Tuesday: one working day, nothing yet.
    assert run(now=at(2026, 3, 3, 9)) == (0, 0)
    # Wednesday 9:00: two working days; the producer is reminded, once however often the job runs.
    assert run(now=at(2026, 3, 4, 9)) == (1, 0)
    assert run(now=at(2026, 3, 4, 9, 15)) == (0, 0)
    assert sent(Kind.PRODUCER_REMINDER) == [user_a.email]
    assert len(subjects(user_a.email)) == 1
    # Friday 9:00: four working days; escalated to the agency, once.
    assert run(now=at(2026, 3, 6, 9)) == (0, 1)
    call_command("follow_up_requests")
    assert sent(Kind.AGENCY_ESCALATION) == [agency.email]
    assert len(subjects(user_a.email)) == 1 and len(subjects(agency.email)) == 1
    waiting.refresh_from_db()
    assert waiting.escalated_at == at(2026, 3, 6, 9)
    log = list(waiting.follow_ups.values_list("step", "user", "created_at"))
    assert log == [(Step.REMINDED, None, at(2026, 3, 4, 9)), (Step.ESCALATED, None, at(2026, 3, 6, 9))]


def test_an_answered_inquiry_is_never_chased(waiting, user_a, producer_a):
    InquiryMessage.objects.create(inquiry=waiting, author="producer", producer=producer_a, body="Quote")
    Inquiry.objects.filter(pk=waiting.pk).update(status=Inquiry.Status.REPLIED)
    assert run(now=at(2026, 3, 20, 9)) == (0, 0)


def test_buyer_sees_the_agency_following_up(waiting, buyer):
    with translation.override("en"):
        url = reverse("inquiries:thread", args=[waiting.thread_token])
    assert "waiting for an answer" in buyer.get(url).content.decode()
    run(now=at(2026, 3, 6, 9))
    assert "the agency is following up" in buyer.get(url).content.decode()


def test_agency_answers_on_the_producers_behalf(waiting, client, buyer, agency, producer_a):
    run(now=at(2026, 3, 6, 9))
    client.force_login(agency)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert waiting.reference in dashboard
    detail = reverse("marketplace_inquiry", args=[waiting.pk])
    assert "on behalf of HTX Nước mắm Cửa Khe" in client.get(detail, headers={"accept-language": "en"}).content.decode()
    client.post(detail, {"action": "reply", "body": "The producer offers FOB Hải Phòng."})
    waiting.refresh_from_db()
    assert waiting.escalated_at is None and waiting.status == Inquiry.Status.REPLIED
    message = waiting.messages.get()
    assert (message.author, message.producer, message.user) == ("agency", producer_a, agency)
    step = waiting.follow_ups.get(step=Step.AGENCY_REPLIED)
    assert step.user == agency and step.note == producer_a.name
    with translation.override("en"):
        thread = buyer.get(reverse("inquiries:thread", args=[waiting.thread_token])).content.decode()
    assert "Trade-promotion agency, on behalf of HTX Nước mắm Cửa Khe" in thread
    reply_email = next(m for m in mail.outbox if "anna@example.de" in m.to and "Answer" in m.subject)
    assert "on behalf of HTX Nước mắm Cửa Khe" in reply_email.body


def test_agency_reassigns_and_a_new_wait_starts(waiting, client, agency, producer_b, user_b):
    run(now=at(2026, 3, 6, 9))
    client.force_login(agency)
    client.post(reverse("marketplace_inquiry_route", args=[waiting.pk]), {"producer": [producer_b.pk]})
    waiting.refresh_from_db()
    assert waiting.escalated_at is None and list(waiting.recipients.all()) == [producer_b]
    step = waiting.follow_ups.get(step=Step.REASSIGNED)
    assert step.user == agency and step.note == producer_b.name
    # The new producer's wait starts at the reassignment (moved to Friday 8:00 for the test).
    InquiryFollowUp.objects.filter(pk=step.pk).update(created_at=at(2026, 3, 6, 8))
    assert run(now=at(2026, 3, 6, 17)) == (0, 0)
    mail.outbox.clear()
    assert run(now=at(2026, 3, 10, 8)) == (1, 0)
    assert subjects(user_b.email) and all(user_b.email in m.to for m in mail.outbox)
