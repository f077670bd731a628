"""What happens when a buyer asks, a producer answers, or the agency routes: one transaction each,
emails enqueued only after the commit."""

from django.db import transaction
from django.utils import timezone, translation

from ..outbox import sending
from ..pipeline import submission
from . import delivery, follow_up, responsiveness
from .models import Inquiry, InquiryFollowUp, InquiryMessage


def submit(form, product=None, kind=Inquiry.Kind.PRODUCT):
    """Store the inquiry and its outbox rows, then enqueue the emails. Raises DuplicateSubmission (pipeline)."""
    inquiry = form.save(commit=False)
    inquiry.kind = kind
    inquiry.form_token = form.cleaned_data["form_token"]
    inquiry.language = translation.get_language() or inquiry.language
    inquiry.consent_at = timezone.now()
    if product is not None:
        inquiry.product = product
        inquiry.product_title = product.title
        inquiry.below_moq = form.below_moq

    def write():
        inquiry.save()
        if hasattr(form, "save_m2m"):
            form.save_m2m()
        if product is not None:
            inquiry.recipients.set([product.producer])
        return delivery.queue_new_inquiry(inquiry)

    rows = submission.store_once(Inquiry, inquiry.form_token, write)
    sending.enqueue(rows)
    return inquiry


def reply(inquiry, body, user, producer=None, author=InquiryMessage.Author.PRODUCER):
    """A producer's (or the agency's) answer: kept on the thread, emailed to the buyer.

    The agency answering with a `producer` answers on that producer's behalf (an escalated
    inquiry): the thread and the e-mail say so, and the step is logged.
    """
    with transaction.atomic():
        message = InquiryMessage.objects.create(inquiry=inquiry, author=author, user=user, producer=producer, body=body)
        if author == InquiryMessage.Author.AGENCY and producer is not None:
            follow_up.log(inquiry, InquiryFollowUp.Step.AGENCY_REPLIED, user, note=producer.name)
        # Any answer ends the wait, and with it the escalation.
        inquiry.escalated_at = None
        if inquiry.status == Inquiry.Status.NEW:
            inquiry.status = Inquiry.Status.REPLIED
        inquiry.save(update_fields=["status", "escalated_at", "updated_at"])
        rows = delivery.queue_reply(inquiry, message)
        if author == InquiryMessage.Author.PRODUCER:
            # The thread changed: the producers' reply figures follow at once.
            responsiveness.refresh(inquiry.recipients.values_list("pk", flat=True))
    sending.enqueue(rows)
    return message


def buyer_answer(inquiry, body):
    """The buyer's answer through the private link reaches the producers' inbox."""
    with transaction.atomic():
        message = InquiryMessage.objects.create(inquiry=inquiry, author=InquiryMessage.Author.BUYER, body=body)
        # Back in the producers' "new" tab: it waits for them again, a new wait from now.
        inquiry.status = Inquiry.Status.NEW
        inquiry.closed_at = None
        inquiry.escalated_at = None
        inquiry.save(update_fields=["status", "closed_at", "escalated_at", "updated_at"])
        rows = delivery.queue_followup(inquiry, message)
    sending.enqueue(rows)
    return message


def set_status(inquiry, status):
    inquiry.status = status
    inquiry.closed_at = timezone.now() if status == Inquiry.Status.CLOSED else None
    inquiry.save(update_fields=["status", "closed_at", "updated_at"])


def forward(inquiry, producers, user=None):
    """Route (or reassign) to these producers: they alone see it from now on, and the new ones are told.

    Reassigning (it had producers) is logged with who did it, starts a new wait for the new
    producers and ends an escalation.
    """
    producers = list(producers)
    with transaction.atomic():
        before = set(inquiry.recipients.values_list("pk", flat=True))
        inquiry.recipients.set(producers)
        inquiry.routed_at = inquiry.routed_at or timezone.now()
        if before:
            follow_up.log(inquiry, InquiryFollowUp.Step.REASSIGNED, user, note=", ".join(p.name for p in producers))
            inquiry.escalated_at = None
        inquiry.save(update_fields=["routed_at", "escalated_at", "updated_at"])
        rows = delivery.queue_forwarded(inquiry, [p for p in producers if p.pk not in before])
        # Both those who lost it and those who got it are measured on a different set of threads.
        responsiveness.refresh(before | {p.pk for p in producers})
    sending.enqueue(rows)
    return rows
