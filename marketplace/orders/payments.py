"""Card payments through Stripe Checkout (the hosted page), refunds, and the webhook that alone marks
an order paid.

Configured by STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET; STRIPE_API_BASE points the library
at another address (the tests' local fake). Without the secret key the card path is simply
not offered (nor without the webhook secret) and bank transfer works alone.
"""

import json
import logging

import stripe

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from catalogue.params import record_id

from ..outbox import sending
from . import delivery, services
from .models import SampleOrder, StripeEvent
from .states import IllegalTransition

logger = logging.getLogger(__name__)

PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
FAILED_EVENTS = {"checkout.session.async_payment_failed"}
TIMEOUT_SECONDS = 15


class StripeUnavailable(Exception):
    """Stripe could not be reached or refused the request; nothing changed on our side."""


def card_enabled():
    # Both: without the webhook secret a card payment could be taken but never confirmed.
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


def client():
    options = {
        "http_client": stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
        # Safe with the idempotency keys below: a retried create returns the first session.
        "max_network_retries": 1,
    }
    if getattr(settings, "STRIPE_API_BASE", ""):
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **options)


def amount(order):
    """(currency, amount in Stripe's smallest unit): VND is zero-decimal, so whole đồng; USD in cents."""
    if order.currency == SampleOrder.Currency.USD:
        return "usd", order.total_usd_cents
    return "vnd", order.total_vnd


def checkout_url(order, success_url, cancel_url):
    """The hosted Checkout page for this order, created once per order (the idempotency key is the order)."""
    currency, unit_amount = amount(order)
    # In the language the buyer ordered in, whatever the page now: one order, one set of parameters.
    with translation.override(order.language):
        title = order.localized_product_title
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency,
                    "unit_amount": unit_amount,
                    "product_data": {"name": f"{order.reference}: {title} × {order.quantity}"[:250]},
                },
            }
        ],
        "client_reference_id": order.reference,
        "metadata": {"order_id": str(order.pk), "reference": order.reference},
        "customer_email": order.email,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    try:
        session = client().v1.checkout.sessions.create(
            params, options={"idempotency_key": f"sample-order-{order.pk}-checkout"}
        )
    except stripe.StripeError as error:
        logger.warning("Stripe Checkout for %s failed: %s", order.reference, error)
        raise StripeUnavailable(str(error)) from error
    SampleOrder.objects.filter(pk=order.pk).update(stripe_session_id=session.id, stripe_session_url=session.url or "")
    order.stripe_session_id, order.stripe_session_url = session.id, session.url or ""
    return session.url


def refund(order):
    """Refund the whole card payment; returns Stripe's refund id."""
    try:
        result = client().v1.refunds.create(
            {"payment_intent": order.stripe_payment_intent},
            options={"idempotency_key": f"sample-order-{order.pk}-refund"},
        )
    except stripe.StripeError as error:
        logger.warning("Stripe refund for %s failed: %s", order.reference, error)
        raise StripeUnavailable(str(error)) from error
    return result.id


class BadSignature(Exception):
    pass


def verify(payload, signature):
    """The event as a dict, if Stripe signed it with our secret within the last five minutes."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise BadSignature("no webhook secret configured")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, stripe.Webhook.DEFAULT_TOLERANCE)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError, UnicodeDecodeError) as error:
        raise BadSignature(str(error)) from error
    if not isinstance(event, dict) or not isinstance(event.get("data", {}).get("object"), dict):
        raise BadSignature("not an event")
    return event


def _order_for(session):
    order = SampleOrder.objects.filter(stripe_session_id=session.get("id")).first() if session.get("id") else None
    if order is None:
        order_id = str((session.get("metadata") or {}).get("order_id", ""))
        if (pk := record_id(order_id)) is not None:
            order = SampleOrder.objects.filter(pk=pk).first()
            if order is not None and order.stripe_session_id and order.stripe_session_id != session.get("id"):
                order = None  # a session this order never had
    return order


def handle(event):
    """Apply one verified event at most once; returns what happened, for the log and the response."""
    event_id, kind = str(event.get("id", "")), str(event.get("type", ""))
    session = event["data"]["object"]
    rows = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event_id, type=kind[:100], session_id=str(session.get("id", ""))[:255]
                )
        except IntegrityError:
            return "replayed: already handled"
        if kind not in PAID_EVENTS | FAILED_EVENTS:
            record.outcome = "ignored"
        else:
            order = _order_for(session)
            record.order = order
            record.outcome = _apply(order, kind, session, event_id)
            if record.outcome == "payment failed":
                rows = delivery.queue(order, delivery.PAYMENT_FAILED)
            elif record.outcome.startswith("not applied"):
                rows = delivery.queue(order, delivery.PAYMENT_NOT_APPLIED, audiences=[delivery.Audience.AGENCY])
        record.save(update_fields=["order", "outcome"])
    sending.enqueue(rows)
    return record.outcome


def _apply(order, kind, session, event_id):
    if order is None:
        logger.warning("Stripe event %s (%s) for unknown session %s", event_id, kind, session.get("id"))
        return "unknown session"
    if kind in FAILED_EVENTS:
        return "payment failed"
    if kind == "checkout.session.completed" and session.get("payment_status") != "paid":
        return "completed, payment still processing"
    currency, expected = amount(order)
    if str(session.get("currency", "")).lower() != currency or session.get("amount_total") != expected:
        logger.error(
            "Stripe event %s pays %s %s for %s, which costs %s %s",
            event_id,
            session.get("amount_total"),
            session.get("currency"),
            order.reference,
            expected,
            currency,
        )
        return "amount mismatch: not marked paid"
    try:
        services.mark_card_paid(order, session.get("payment_intent"), event_id)
    except IllegalTransition as refused:
        logger.warning("Stripe event %s: %s", event_id, refused.message)
        return f"not applied: order was {refused.current}; payment {session.get('payment_intent') or '?'}"[:255]
    return "paid"
