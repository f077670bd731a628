"""The outbox: who is told about an inquiry, and how each email goes out and is retried.

Rows are written with what they announce; `deliver` sends one and records the attempt in
the same transaction that marks it sent, so nothing is lost and nothing is sent twice.
The first attempt is a background task enqueued once the inquiry is committed; failed
attempts wait with backoff for `manage.py send_pending_notifications` (every minute).
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from catalogue.access import AGENCY_GROUP
from catalogue.models import ProducerMembership

from .models import Inquiry, InquiryNotification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
Kind = InquiryNotification.Kind


def backoff(attempts):
    """1, 2, 4, 8 … minutes after the attempt that failed."""
    return datetime.timedelta(minutes=2 ** max(attempts - 1, 0))


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def thread_url(inquiry):
    return absolute(reverse("inquiries:thread", args=[inquiry.thread_token]))


def deletion_url(inquiry):
    return absolute(reverse("inquiries:erase", args=[inquiry.thread_token]))


def admin_url(inquiry):
    return absolute(reverse("marketplace_inquiry", args=[inquiry.pk]))


def _user_language(user):
    profile = getattr(user, "wagtail_userprofile", None)
    return (profile.preferred_language if profile else "") or settings.LANGUAGE_CODE


def producer_addresses(producers):
    """Each producer's active accounts, or its public address when it has none: [(email, language)]."""
    found = {}
    for producer in producers:
        memberships = ProducerMembership.objects.filter(
            producer=producer, user__is_active=True, user__email__gt=""
        ).select_related("user", "user__wagtail_userprofile")
        accounts = [(m.user.email.lower(), _user_language(m.user)) for m in memberships]
        if not accounts and producer.email:
            accounts = [(producer.email.lower(), settings.LANGUAGE_CODE)]
        found.update(dict(accounts))
    return list(found.items())


def agency_addresses():
    users = (
        get_user_model()
        .objects.filter(groups__name=AGENCY_GROUP, is_active=True, email__gt="")
        .select_related("wagtail_userprofile")
        .distinct()
    )
    return list({u.email.lower(): _user_language(u) for u in users}.items())


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


def enqueue(rows):
    """First attempt of each row as a background task, after the commit; a queue failure is retried later."""
    from .tasks import send_inquiry_notification

    for row in rows:
        try:
            send_inquiry_notification.enqueue(row.pk)
        except Exception:  # the row stays due; send_pending_notifications picks it up
            logger.exception("Could not enqueue inquiry notification %s", row.pk)


def _content(notification):
    inquiry = notification.inquiry
    message = notification.message
    context = {
        "inquiry": inquiry,
        "message": message,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "LANGUAGE_CODE": notification.language,
        "show_contacts": notification.kind in (Kind.PRODUCER_NEW, Kind.AGENCY_NEW),
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
            % {
                "author": message.producer.name if message.producer else settings.WAGTAIL_SITE_NAME,
                "title": inquiry.localized_title,
            },
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


def attempt(notification, build_email, now, what):
    """Send one locked outbox row once and record the outcome on it; returns its state.

    `build_email()` runs in the recipient's language and returns the message. Inquiries,
    sample orders and meetings share this, so a mail failure is retried the same way everywhere.
    """
    notification.attempts += 1
    try:
        with translation.override(notification.language):
            email = build_email()
        email.send()
    except Exception as error:  # any mail failure: recorded on the row, retried later
        notification.last_error = f"{type(error).__name__}: {error}"[:2000]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.gave_up_at = now
            logger.error("%s %s failed %s times: %s", what, notification.pk, notification.attempts, error)
        else:
            notification.next_attempt_at = now + backoff(notification.attempts)
    else:
        notification.sent_at = now
        notification.last_error = ""
    notification.save(update_fields=["attempts", "last_error", "next_attempt_at", "sent_at", "gave_up_at"])
    return notification.state


def deliver(notification_id, now=None):
    """Try one row once; returns its state afterwards ("sent", "pending" or "failed")."""
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock makes a second worker wait, then see it sent.
        notification = (
            InquiryNotification.objects.select_for_update().select_related("inquiry").filter(pk=notification_id).first()
        )
        if notification is None or notification.sent_at or notification.gave_up_at:
            return notification.state if notification else "gone"

        def build():
            subject, text, html = _content(notification)
            email = EmailMultiAlternatives(subject, text, None, [notification.recipient])
            email.attach_alternative(html, "text/html")
            return email

        return attempt(notification, build, now, "Inquiry email")


def due(now=None):
    now = now or timezone.now()
    return InquiryNotification.objects.filter(
        sent_at__isnull=True, gave_up_at__isnull=True, next_attempt_at__lte=now
    ).exclude(recipient="")


def send_due(now=None, batch=500, max_seconds=50):
    """What the every-minute command runs: each due row once, oldest first, in batches until none
    is due or the minute is nearly over (the next run carries on)."""
    import time

    states = {"sent": 0, "pending": 0, "failed": 0}
    tried = set()
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        pks = [
            pk
            for pk in due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[: batch + len(tried)]
            if pk not in tried
        ][:batch]
        if not pks:
            break
        for pk in pks:
            tried.add(pk)
            state = deliver(pk, now)
            states[state] = states.get(state, 0) + 1
    return states


def resend(notification):
    """The agency's 'resend' on a failed row: a fresh set of attempts."""
    InquiryNotification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
        gave_up_at=None, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    enqueue([notification])
