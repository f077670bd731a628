"""What happens when a producer applies, the agency decides, a buyer asks for a meeting or the producer answers:
one transaction each, with the outbox rows written inside it and the emails enqueued after it commits."""

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ..outbox import sending
from ..pipeline import submission
from . import delivery, follow_up, matching
from .models import Exhibitor, MeetingFollowUp, MeetingRequest


class SlotTaken(Exception):
    """Another buyer's request for the same slot committed first."""


class BoothTaken(Exception):
    """Another exhibitor of the fair already has this booth."""


def apply(fair, producer, products, user, message=""):
    with transaction.atomic():
        exhibitor = Exhibitor.objects.create(fair=fair, producer=producer, applied_by=user, message=message)
        exhibitor.products.set(products)
    return exhibitor


def decide_exhibitor(form, user):
    """Save the agency's decision; raises BoothTaken when the booth went to someone else (the constraint)."""
    exhibitor = form.save(commit=False)
    exhibitor.decided_by = user
    exhibitor.decided_at = timezone.now()
    try:
        with transaction.atomic():
            exhibitor.save()
    except IntegrityError:
        raise BoothTaken(exhibitor.booth) from None
    return exhibitor


def request_meeting(form, exhibitor):
    """Store the request and its outbox rows together. Raises the pipeline's DuplicateSubmission, or SlotTaken."""
    meeting = form.save(commit=False)
    meeting.exhibitor = exhibitor
    meeting.starts_at, meeting.ends_at = form.cleaned_data["slot"]
    meeting.form_token = form.cleaned_data["form_token"]
    meeting.language = translation.get_language() or meeting.language
    meeting.consent_at = timezone.now()

    def write():
        meeting.save()
        return delivery.queue_requested(meeting)

    try:
        rows = submission.store_once(MeetingRequest, meeting.form_token, write)
    except IntegrityError:  # not a repeated form: the slot's own constraint
        raise SlotTaken() from None
    sending.enqueue(rows)
    return meeting


def decide_meeting(meeting, accept, user, note="", on_behalf=False):
    """The exhibitor's answer; returns False when the request was already answered or withdrawn.

    `on_behalf`: the agency answers for the exhibitor (an escalated request); the buyer is told so
    and the step is logged.
    """
    with transaction.atomic():
        meeting = MeetingRequest.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != MeetingRequest.Status.REQUESTED or meeting.erased_at:
            return False
        meeting.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
        meeting.producer_note = note
        meeting.decided_by = user
        meeting.decided_at = timezone.now()
        meeting.answered_by_agency = on_behalf
        # Any answer ends the wait, and with it the escalation.
        meeting.escalated_at = None
        meeting.save(
            update_fields=["status", "producer_note", "decided_by", "decided_at", "answered_by_agency", "escalated_at"]
        )
        if on_behalf:
            follow_up.log(
                meeting,
                MeetingFollowUp.Step.AGENCY_ANSWERED,
                user,
                note=meeting.get_status_display(),
                now=meeting.decided_at,
            )
        rows = delivery.queue_accepted(meeting) if accept else delivery.queue_declined(meeting)
    sending.enqueue(rows)
    return True


def reassign(meeting, exhibitor, user):
    """The agency passes a waiting request, with its slot, to another exhibitor of the same fair.

    Logged with who did it; the new exhibitor's wait starts now and the escalation ends. Raises
    SlotTaken when the new exhibitor is no longer free at that time, ValueError when the request
    no longer waits or the exhibitor is not another accepted one of the fair.
    """
    with transaction.atomic():
        meeting = MeetingRequest.objects.select_for_update().select_related("exhibitor").get(pk=meeting.pk)
        if meeting.status != MeetingRequest.Status.REQUESTED or meeting.erased_at:
            raise ValueError("not waiting")
        if (
            exhibitor.pk == meeting.exhibitor_id
            or exhibitor.fair_id != meeting.exhibitor.fair_id
            or exhibitor.status != Exhibitor.Status.ACCEPTED
        ):
            raise ValueError("not another exhibitor of the fair")
        if not matching.slot_free(exhibitor, meeting):
            raise SlotTaken()
        meeting.exhibitor = exhibitor
        meeting.escalated_at = None
        try:
            with transaction.atomic():
                meeting.save(update_fields=["exhibitor", "escalated_at"])
        except IntegrityError:  # a buyer took the slot with this exhibitor meanwhile
            raise SlotTaken() from None
        follow_up.log(meeting, MeetingFollowUp.Step.REASSIGNED, user, note=exhibitor.producer.name)
        rows = delivery.queue_reassigned(meeting)
    sending.enqueue(rows)
    return meeting
