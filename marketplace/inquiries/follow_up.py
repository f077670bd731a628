"""The reply-time promise the agency keeps: an inquiry waiting for its producer's answer for two
working days sends the producer a reminder; after four it is escalated to the agency, which
replies on the producer's behalf or reassigns it (admin views, services).

A wait starts when the producer received the inquiry (a sourcing request: when it was routed),
when the buyer last wrote, or when the agency last reassigned it, whichever is latest; it ends
with any answer. Each step is an InquiryFollowUp row, unique per wait, written in the
transaction of its e-mails: `manage.py follow_up_requests` may run as often as it likes, or
twice at once, and still sends each reminder once.
"""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from catalogue.working_hours import DAY_MINUTES, minutes_between

from ..outbox import sending
from . import delivery
from .models import Inquiry, InquiryFollowUp, InquiryMessage
from .responsiveness import received_at

REMIND_AFTER = 2 * DAY_MINUTES
ESCALATE_AFTER = 4 * DAY_MINUTES
Step = InquiryFollowUp.Step


def waiting():
    """Inquiries waiting for a producer's answer, with when their buyer last wrote or they were reassigned."""
    return (
        Inquiry.objects.filter(status=Inquiry.Status.NEW, erased_at__isnull=True, recipients__isnull=False)
        .distinct()
        .annotate(
            last_buyer=Max("messages__created_at", filter=Q(messages__author=InquiryMessage.Author.BUYER)),
            last_reassigned=Max("follow_ups__created_at", filter=Q(follow_ups__step=Step.REASSIGNED)),
        )
    )


def waiting_since(inquiry):
    times = [received_at(inquiry), getattr(inquiry, "last_buyer", None), getattr(inquiry, "last_reassigned", None)]
    return max(t for t in times if t is not None)


def run(now=None):
    """Take every step that is due; returns (reminders, escalations) taken by this run."""
    now = now or timezone.now()
    reminded = escalated = 0
    for inquiry in waiting():
        since = waiting_since(inquiry)
        minutes = minutes_between(since, now)
        if minutes >= REMIND_AFTER and _take(inquiry, Step.REMINDED, since, now):
            reminded += 1
        if minutes >= ESCALATE_AFTER and _take(inquiry, Step.ESCALATED, since, now):
            escalated += 1
    return reminded, escalated


def _take(inquiry, step, since, now):
    with transaction.atomic():
        _follow_up, created = InquiryFollowUp.objects.get_or_create(
            inquiry=inquiry, step=step, waiting_since=since, defaults={"created_at": now}
        )
        if not created:
            return False
        if step == Step.ESCALATED:
            inquiry.escalated_at = now
            inquiry.save(update_fields=["escalated_at", "updated_at"])
            rows = delivery.queue_escalation(inquiry)
        else:
            rows = delivery.queue_reminder(inquiry)
    sending.enqueue(rows)
    return True


def log(inquiry, step, user, note="", now=None):
    """A step a person took (the agency's reply or reassignment): who and when."""
    now = now or timezone.now()
    return InquiryFollowUp.objects.create(
        inquiry=inquiry, step=step, user=user, note=note[:255], waiting_since=now, created_at=now
    )


def stage(inquiry):
    """Where the request stands, in a sentence for the buyer's thread page."""
    if inquiry.status == Inquiry.Status.CLOSED:
        return ""
    if inquiry.status == Inquiry.Status.REPLIED:
        return gettext("Answered. Write below if you need more.")
    if inquiry.escalated_at:
        return gettext("The producer has not answered yet: the agency is following up.")
    if not inquiry.recipients.exists():
        return gettext("The agency is finding producers for your request.")
    return gettext("Sent to the producer, waiting for an answer. If none comes in two working days, we remind them.")
