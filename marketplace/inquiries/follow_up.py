"""The reply-time promise the agency keeps: an inquiry waiting for its producer's answer for two
working days sends the producer a reminder; after four it is escalated to the agency, which
replies on the producer's behalf or reassigns it (admin views, services).

A wait starts when the producer received the inquiry (a sourcing request: when it was routed),
when the buyer last wrote, or when the agency last reassigned it, whichever is latest; it ends
with any answer. The clock and the once-per-wait steps are the pipeline's (pipeline/follow_up.py),
which meeting requests share; each step is an InquiryFollowUp row.
"""

from django.db.models import Max, Q
from django.utils.translation import gettext

from ..outbox import sending
from ..pipeline.follow_up import Promise
from . import delivery
from .models import Inquiry, InquiryFollowUp, InquiryMessage
from .responsiveness import received_at

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


def _escalate(inquiry, now):
    inquiry.escalated_at = now
    inquiry.save(update_fields=["escalated_at", "updated_at"])
    return delivery.queue_escalation(inquiry)


PROMISE = Promise(
    log=InquiryFollowUp,
    request_field="inquiry",
    remind=lambda inquiry, now: delivery.queue_reminder(inquiry),
    escalate=_escalate,
    enqueue=sending.enqueue,
)


def run(now=None):
    """Take every step that is due; returns (reminders, escalations) taken by this run."""
    return PROMISE.run(((inquiry, waiting_since(inquiry)) for inquiry in waiting()), now)


def log(inquiry, step, user, note="", now=None):
    """A step a person took (the agency's reply or reassignment): who and when."""
    return PROMISE.record(inquiry, step, user, note, now)


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
