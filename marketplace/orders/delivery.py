"""Who is told about each step of a sample order and what each e-mail says; the outbox sends them.

Rows are queued in the transaction of the step they announce; the outbox (marketplace/outbox)
makes the first attempt after the commit and retries what failed.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from ..outbox import sending
from ..outbox.recipients import absolute, agency_addresses, producer_addresses
from .models import OrderNotification, OrderState, SampleOrderSettings

Audience = OrderNotification.Audience
PLACED = "placed"
PAYMENT_FAILED = "payment_failed"
# A card payment Stripe took for an order already paid another way, cancelled or refunded.
PAYMENT_NOT_APPLIED = "payment_not_applied"


def order_url(order):
    return absolute(reverse("orders:detail", args=[order.access_token]))


def review_url(order):
    return absolute(reverse("orders:review", args=[order.access_token]))


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
        if buyer:
            # The one invitation to review: an order enters "delivered" once, so it is sent once.
            return (
                gettext("%(reference)s was delivered: how was the sample?") % values,
                gettext(
                    "The sample of “%(title)s” was delivered. Please rate its quality, packaging and the "
                    "producer's communication (1 to 5) at the link below: your review helps other buyers and "
                    "is shown without your name. Keep the link to yourself."
                )
                % values,
            )
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
    if buyer and notification.event == OrderState.DELIVERED:
        link, link_label = review_url(order), gettext("Rate the sample")
    elif buyer:
        link, link_label = order_url(order), gettext("Your order")
    else:
        link, link_label = admin_url(order), gettext("Open the order")
    context = {
        "order": order,
        "intro": intro,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "LANGUAGE_CODE": notification.language,
        "show_contacts": not buyer,
        "link": link,
        "link_label": link_label,
        "bank": SampleOrderSettings.load() if buyer and order.state == OrderState.PENDING else None,
    }
    text = render_to_string("marketplace/email/sample_order.txt", context)
    html = render_to_string("marketplace/email/sample_order.html", context)
    return f"[{settings.WAGTAIL_SITE_NAME}] {subject}", text, html


def build_email(notification):
    subject, text, html = _content(notification)
    return sending.message(notification, subject, text, html=html)


OUTBOX = sending.register(OrderNotification, build_email, "Sample-order emails", related=("order", "order__province"))
