"""The reply-time promise for meeting requests: a request its exhibitor has neither accepted nor
declined for two working days sends the exhibitor a reminder; after four it is escalated to
the agency, which answers on the exhibitor's behalf or reassigns it to another exhibitor of the
fair (admin views, services).

A wait starts when the request was received or when the agency last reassigned it, whichever
is later; it ends with an answer, a withdrawal, or when its slot begins (a meeting that has
begun is no longer chased). The clock and the once-per-wait steps are the pipeline's
(pipeline/follow_up.py), shared with inquiries; each step is a MeetingFollowUp row.
"""

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from ..outbox import sending
from ..pipeline.follow_up import Promise
from . import delivery
from .models import MeetingFollowUp, MeetingRequest

Step = MeetingFollowUp.Step


def waiting(now=None):
    """Requests waiting for their exhibitor's answer whose slot is still ahead, with when they were last reassigned."""
    now = now or timezone.now()
    return MeetingRequest.objects.filter(
        status=MeetingRequest.Status.REQUESTED, erased_at__isnull=True, starts_at__gt=now
    ).annotate(last_reassigned=Max("follow_ups__created_at", filter=Q(follow_ups__step=Step.REASSIGNED)))


def waiting_since(meeting):
    return max(t for t in (meeting.created_at, getattr(meeting, "last_reassigned", None)) if t is not None)


def _escalate(meeting, now):
    meeting.escalated_at = now
    meeting.save(update_fields=["escalated_at"])
    return delivery.queue_escalation(meeting)


PROMISE = Promise(
    log=MeetingFollowUp,
    request_field="meeting",
    remind=lambda meeting, now: delivery.queue_reminder(meeting),
    escalate=_escalate,
    enqueue=sending.enqueue,
)


def run(now=None):
    """Take every step that is due; returns (reminders, escalations) taken by this run."""
    now = now or timezone.now()
    return PROMISE.run(((meeting, waiting_since(meeting)) for meeting in waiting(now)), now)


def log(meeting, step, user, note="", now=None):
    """A step a person took (the agency's answer or reassignment): who and when."""
    return PROMISE.record(meeting, step, user, note, now)


def stage(meeting):
    """Where the request stands, in a sentence for the buyer's private meeting page."""
    status = MeetingRequest.Status
    if meeting.status == status.ACCEPTED:
        if meeting.answered_by_agency:
            return gettext("Accepted: the agency confirmed it on the exhibitor's behalf.")
        return gettext("Accepted: the calendar file was emailed to you.")
    if meeting.status == status.DECLINED:
        if meeting.answered_by_agency:
            return gettext("Declined: the agency answered on the exhibitor's behalf.")
        return gettext("Declined by the exhibitor. You may choose another slot on the fair's page.")
    if meeting.status == status.CANCELLED:
        return gettext("Withdrawn.")
    if meeting.escalated_at:
        return gettext("The exhibitor has not answered yet: the agency is following up.")
    return gettext("Sent to the exhibitor, waiting for an answer. If none comes in two working days, we remind them.")
