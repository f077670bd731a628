"""The outbox of sample orders: who is told about each step, and how each email goes out and is retried.

Same rules as the inquiries' outbox (marketplace.inquiries.delivery), whose recipients, backoff
and attempt limit it shares: rows are written in the transaction of the step they announce, the
first attempt is a background task after the commit, retries wait for `send_pending_notifications`.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from ..inquiries.delivery import absolute, agency_addresses, attempt, producer_addresses
from .models import OrderNotification, OrderState, SampleOrderSettings

logger = logging.getLogger(__name__)

Audience = OrderNotification.Audience
PLACED = "placed"
PAYMENT_FAILED = "payment_failed"
# A card payment Stripe took for an order already paid another way, cancelled or refunded.
PAYMENT_NOT_APPLIED = "payment_not_applied"


def order_url(order):
    return absolute(reverse("orders:detail", args=[order.access_token]))


def admin_url(order):
    return absolute(reverse("marketplace_sample_order", args=[order.pk]))


def queue(order, event, audiences=tuple(Audience.values)):
    """Outbox rows telling the buyer, the producer's accounts and the agency; call inside the step's transaction."""
    rows = []
    if Audience.BUYER in audiences:
        rows.append((Audience.BUYER, order.email, order.language))
    if Audience.PRODUCER in audiences:
        rows += [(Audience.PRODUCER, email, language) for email, language in producer_addresses([order.producer])]
    if Audience.AGENCY in audiences:
        rows += [(Audience.AGENCY, email, language) for email, language in agency_addresses()]
    return [
        OrderNotification.objects.create(
            order=order, event=event, audience=audience, recipient=email, language=language or settings.LANGUAGE_CODE
        )
        for audience, email, language in rows
        if email
    ]


def enqueue(rows):
    from .tasks import send_order_notification

    for row in rows:
        try:
            send_order_notification.enqueue(row.pk)
        except Exception:  # the row stays due; send_pending_notifications picks it up
            logger.exception("Could not enqueue order notification %s", row.pk)


def _subject_and_intro(notification):
    order, event, audience = notification.order, notification.event, notification.audience
    values = {"reference": order.reference, "title": order.localized_product_title}
    buyer = audience == Audience.BUYER
    if event == PLACED:
        if buyer:
            return (
                gettext("Your sample order %(reference)s: how to pay") % values,
                gettext(
                    "Thank you for ordering a sample of “%(title)s”. Your order page shows the amount, the bank "
                    "account and a VietQR code to scan with your banking app (or a card payment where offered). "
                    "Keep the link to yourself: anyone with it can see the order."
                )
                % values,
            )
        return (
            gettext("New sample order %(reference)s: %(title)s") % values,
            gettext("A buyer ordered a sample; it waits for payment.") % values,
        )
    if event == PAYMENT_FAILED:
        return (
            gettext("Payment of %(reference)s did not go through") % values,
            gettext(
                "The card payment for %(reference)s failed. The order is still open: "
                "you can try again from the order page."
            )
            % values,
        )
    if event == PAYMENT_NOT_APPLIED:
        return (
            gettext("Card payment for %(reference)s not applied: check for a refund") % values,
            gettext(
                "Stripe reports a completed card payment for %(reference)s, which was already “%(state)s”. "
                "If the buyer paid twice, refund the card payment in the Stripe dashboard (its payment is "
                "listed under Stripe events on the order)."
            )
            % {**values, "state": order.get_state_display()},
        )
    if event == OrderState.PAID:
        return (
            gettext("%(reference)s is paid") % values,
            gettext("We received the payment for your sample of “%(title)s”. The producer prepares it now.") % values
            if buyer
            else gettext(
                "The sample order is paid: please prepare and ship it, then enter the carrier and tracking number."
            )
            % values,
        )
    if event == OrderState.SHIPPED:
        intro = gettext("Your sample of “%(title)s” is on its way with %(carrier)s, tracking number %(tracking)s.") % {
            **values,
            "carrier": order.carrier,
            "tracking": order.tracking_number,
        }
        return gettext("%(reference)s has shipped") % values, intro
    if event == OrderState.DELIVERED:
        return gettext("%(reference)s was delivered") % values, gettext(
            "The sample of “%(title)s” was delivered."
        ) % values
    if event == OrderState.REFUNDED:
        return gettext("%(reference)s was refunded") % values, gettext(
            "The payment for %(reference)s was refunded."
        ) % values
    if event == OrderState.EXPIRED:
        return (
            gettext("%(reference)s expired unpaid") % values,
            gettext("No payment arrived in time for %(reference)s, so the order was closed. You can order again.")
            % values,
        )
    return gettext("%(reference)s was cancelled") % values, gettext(
        "The sample order %(reference)s was cancelled."
    ) % values


def _content(notification):
    order = notification.order
    subject, intro = _subject_and_intro(notification)
    buyer = notification.audience == Audience.BUYER
    context = {
        "order": order,
        "intro": intro,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "LANGUAGE_CODE": notification.language,
        "show_contacts": not buyer,
        "link": order_url(order) if buyer else admin_url(order),
        "link_label": gettext("Your order") if buyer else gettext("Open the order"),
        "bank": SampleOrderSettings.load() if buyer and order.state == OrderState.PENDING else None,
    }
    text = render_to_string("marketplace/email/sample_order.txt", context)
    html = render_to_string("marketplace/email/sample_order.html", context)
    return f"[{settings.WAGTAIL_SITE_NAME}] {subject}", text, html


def deliver(notification_id, now=None):
    """Try one row once; returns its state afterwards ("sent", "pending" or "failed")."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            # Lock the outbox row only: the order's province is an outer join, which FOR UPDATE refuses.
            OrderNotification.objects.select_for_update(of=("self",))
            .select_related("order", "order__province")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.sent_at or notification.gave_up_at:
            return notification.state if notification else "gone"

        def build():
            subject, text, html = _content(notification)
            email = EmailMultiAlternatives(subject, text, None, [notification.recipient])
            email.attach_alternative(html, "text/html")
            return email

        return attempt(notification, build, now, "Order email")


def send_due(now=None, batch=500):
    """Each due row once, oldest first (the inquiries' command runs this beside its own)."""
    now = now or timezone.now()
    states = {"sent": 0, "pending": 0, "failed": 0}
    pks = list(
        OrderNotification.objects.filter(sent_at__isnull=True, gave_up_at__isnull=True, next_attempt_at__lte=now)
        .exclude(recipient="")
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in pks:
        state = deliver(pk, now)
        states[state] = states.get(state, 0) + 1
    return states
