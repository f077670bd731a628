"""Who is told about an inquiry and what each e-mail says; the outbox (marketplace/outbox) sends them.

Rows are queued in the transaction of the event they announce (`queue_*`); the caller
enqueues them after the commit with `outbox.sending.enqueue`.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from ..outbox import sending
from ..outbox.recipients import absolute, agency_addresses, producer_addresses
from .models import Inquiry, InquiryMessage, InquiryNotification

Kind = InquiryNotification.Kind


def thread_url(inquiry):
    return absolute(reverse("inquiries:thread", args=[inquiry.thread_token]))


def deletion_url(inquiry):
    return absolute(reverse("inquiries:erase", args=[inquiry.thread_token]))


def admin_url(inquiry):
    return absolute(reverse("marketplace_inquiry", args=[inquiry.pk]))


def author_name(message):
    """Who wrote an answer, as the buyer reads it: the agency's answers for a producer say so."""
    if message.author == InquiryMessage.Author.AGENCY and message.producer:
        return gettext("%(site)s, on behalf of %(producer)s") % {
            "site": settings.WAGTAIL_SITE_NAME,
            "producer": message.producer.name,
        }
    return message.producer.name if message.producer else settings.WAGTAIL_SITE_NAME


def queue(inquiry, kind, addresses, message=None):
    """Outbox rows for one event; call inside the transaction that writes the event."""
    return [
        InquiryNotification.objects.create(
            inquiry=inquiry, message=message, kind=kind, recipient=email, language=language or settings.LANGUAGE_CODE
        )
        for email, language in addresses
    ]


def queue_new_inquiry(inquiry):
    rows = queue(inquiry, Kind.BUYER_ACK, [(inquiry.email, inquiry.language)])
    rows += queue(inquiry, Kind.PRODUCER_NEW, producer_addresses(inquiry.recipients.all()))
    rows += queue(inquiry, Kind.AGENCY_NEW, agency_addresses())
    return rows


def queue_forwarded(inquiry, producers):
    return queue(inquiry, Kind.PRODUCER_NEW, producer_addresses(producers))


def queue_reply(inquiry, message):
    return queue(inquiry, Kind.BUYER_REPLY, [(inquiry.email, inquiry.language)], message=message)


def queue_followup(inquiry, message):
    addresses = producer_addresses(inquiry.recipients.all())
    if not addresses:  # a sourcing request not routed yet: the agency reads the answer
        addresses = agency_addresses()
    return queue(inquiry, Kind.PRODUCER_FOLLOWUP, addresses, message=message)


def queue_reminder(inquiry):
    return queue(inquiry, Kind.PRODUCER_REMINDER, producer_addresses(inquiry.recipients.all()))


def queue_escalation(inquiry):
    return queue(inquiry, Kind.AGENCY_ESCALATION, agency_addresses())


def _content(notification):
    inquiry = notification.inquiry
    message = notification.message
    context = {
        "inquiry": inquiry,
        "message": message,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "LANGUAGE_CODE": notification.language,
        "show_contacts": notification.kind in (Kind.PRODUCER_NEW, Kind.AGENCY_NEW, Kind.AGENCY_ESCALATION),
    }
    reference = inquiry.reference
    if notification.kind == Kind.BUYER_ACK:
        subject = gettext("We received your inquiry %(reference)s") % {"reference": reference}
        context.update(
            intro=gettext(
                "Thank you. Your inquiry about “%(title)s” was passed on. Follow the conversation and answer "
                "through your private link (keep it to yourself: anyone with it can read the thread)."
            )
            % {"title": inquiry.localized_title},
            link=thread_url(inquiry),
            link_label=gettext("Your inquiry and its answers"),
            deletion_link=deletion_url(inquiry),
            quote=inquiry.message,
        )
    elif notification.kind == Kind.BUYER_REPLY:
        subject = gettext("Answer to your inquiry %(reference)s") % {"reference": reference}
        context.update(
            intro=gettext("%(author)s answered your inquiry about “%(title)s”:")
            % {"author": author_name(message), "title": inquiry.localized_title},
            quote=message.body,
            link=thread_url(inquiry),
            link_label=gettext("Read and answer"),
            deletion_link=deletion_url(inquiry),
        )
    elif notification.kind == Kind.PRODUCER_FOLLOWUP:
        subject = gettext("The buyer answered on %(reference)s") % {"reference": reference}
        context.update(
            intro=gettext("The buyer wrote on the inquiry about “%(title)s”:") % {"title": inquiry.localized_title},
            quote=message.body,
            link=admin_url(inquiry),
            link_label=gettext("Open the inquiry"),
        )
    elif notification.kind == Kind.PRODUCER_REMINDER:
        subject = gettext("Reminder: inquiry %(reference)s waits for your answer") % {"reference": reference}
        context.update(
            intro=gettext(
                "A buyer has waited two working days for your answer about “%(title)s”. After four, the "
                "agency follows up and may answer for you or pass the inquiry to another producer."
            )
            % {"title": inquiry.localized_title},
            quote=inquiry.message,
            link=admin_url(inquiry),
            link_label=gettext("Answer"),
        )
    elif notification.kind == Kind.AGENCY_ESCALATION:
        subject = gettext("Unanswered for four working days: inquiry %(reference)s") % {"reference": reference}
        context.update(
            intro=gettext(
                "%(producers)s did not answer the inquiry about “%(title)s” in four working days. Answer on "
                "the producer's behalf or reassign it to a matching producer."
            )
            % {
                "producers": ", ".join(p.name for p in inquiry.recipients.all()),
                "title": inquiry.localized_title,
            },
            quote=inquiry.message,
            link=admin_url(inquiry),
            link_label=gettext("Open the inquiry"),
        )
    else:
        values = {"reference": reference, "title": inquiry.localized_title}
        subject = gettext("New inquiry %(reference)s: %(title)s") % values
        if inquiry.kind == Inquiry.Kind.SOURCING and not inquiry.routed_at and notification.kind == Kind.AGENCY_NEW:
            intro = gettext("A sourcing request waits for routing to producers.")
        else:
            intro = gettext("A buyer asks for a quotation.")
        context.update(intro=intro, quote=inquiry.message, link=admin_url(inquiry), link_label=gettext("Answer"))
    text = render_to_string("marketplace/email/inquiry.txt", context)
    html = render_to_string("marketplace/email/inquiry.html", context)
    return f"[{settings.WAGTAIL_SITE_NAME}] {subject}", text, html


def build_email(notification):
    subject, text, html = _content(notification)
    return sending.message(notification, subject, text, html=html)


OUTBOX = sending.register(InquiryNotification, build_email, "Inquiry emails", related=("inquiry",))
