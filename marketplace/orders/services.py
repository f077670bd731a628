"""What happens to a sample order: placed by the buyer, paid, shipped, delivered, cancelled, refunded
or expired. Each step is one transaction with its outbox rows; the emails go after the commit."""

import datetime
import logging

from django.utils import timezone, translation

from ..outbox import sending
from ..pipeline import submission
from . import delivery, payments
from .models import OrderState, SampleOrder, SampleOrderSettings
from .states import ALLOWED, IllegalTransition, transition

logger = logging.getLogger(__name__)
S = OrderState


def place(form, product):
    """Store the order (the server's quote) and its outbox rows. Raises DuplicateSubmission (pipeline)."""
    order_settings = SampleOrderSettings.load()
    order = form.save(commit=False)
    quote = form.quote
    order.product = product
    order.product_title = product.title
    order.producer = product.producer
    order.quantity = quote.quantity
    order.unit_price_vnd = quote.unit_price_vnd
    order.shipping_fee_vnd = quote.shipping_fee_vnd
    order.shipping_zone = quote.shipping_zone
    order.usd_rate = quote.usd_rate
    order.total_vnd = quote.total_vnd
    order.total_usd_cents = quote.total_usd_cents
    order.form_token = form.cleaned_data["form_token"]
    order.language = translation.get_language() or order.language
    order.created_at = order.consent_at = timezone.now()
    order.expires_at = order.created_at + datetime.timedelta(hours=order_settings.expiry_hours)

    def write():
        order.save()
        return delivery.queue(order, delivery.PLACED)

    rows = submission.store_once(SampleOrder, order.form_token, write)
    sending.enqueue(rows)
    return order


def _notify(order, step):
    return delivery.queue(order, step.to_state)


def _actor(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def confirm_transfer(order, user, note=""):
    """The agency saw the money arrive on its account."""
    return transition(
        order,
        S.PAID,
        actor=_actor(user),
        user=user,
        note=note or "bank transfer received",
        fields={"payment_method": SampleOrder.PaymentMethod.BANK_TRANSFER},
        notify=_notify,
    )


def mark_card_paid(order, payment_intent, event_id):
    """Only the verified Stripe webhook calls this."""
    return transition(
        order,
        S.PAID,
        actor="Stripe",
        note=f"Stripe event {event_id}",
        fields={"payment_method": SampleOrder.PaymentMethod.CARD, "stripe_payment_intent": payment_intent or ""},
        notify=_notify,
    )


def ship(order, user, carrier, tracking_number):
    return transition(
        order,
        S.SHIPPED,
        actor=_actor(user),
        user=user,
        note=f"{carrier} {tracking_number}",
        fields={"carrier": carrier, "tracking_number": tracking_number},
        notify=_notify,
    )


def mark_delivered(order, user):
    return transition(order, S.DELIVERED, actor=_actor(user), user=user, notify=_notify)


def cancel(order, user, note=""):
    return transition(order, S.CANCELLED, actor=_actor(user), user=user, note=note, notify=_notify)


def refund(order, user, note=""):
    """A card payment is refunded through Stripe first; a transfer is paid back by hand, then recorded."""
    fields = {}
    if order.payment_method == SampleOrder.PaymentMethod.CARD and order.stripe_payment_intent:
        if (order.state, S.REFUNDED) not in ALLOWED:
            raise IllegalTransition(order, order.state, S.REFUNDED)
        fields["stripe_refund_id"] = payments.refund(order)  # raises payments.StripeUnavailable
        note = note or f"Stripe refund {fields['stripe_refund_id']}"
    return transition(order, S.REFUNDED, actor=_actor(user), user=user, note=note, fields=fields, notify=_notify)


def expire_due(now=None):
    """Unpaid orders past their time (the scheduled command): returns how many expired."""
    expired = 0
    for order in SampleOrder.objects.due_to_expire(now).order_by("pk")[:5000]:
        try:
            transition(order, S.EXPIRED, actor="scheduled expiry", notify=_notify)
        except IllegalTransition:  # paid meanwhile
            continue
        expired += 1
    return expired
