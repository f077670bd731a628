"""Stripe's webhook: a verified event is stored once by its id and alone marks an order paid.

A forged or stale signature is refused; an event replayed, for an unknown session, or with an
amount that does not match the order changes nothing and is acknowledged.
"""

import json
import logging

import stripe

from django.conf import settings
from django.db import IntegrityError, transaction

from catalogue.params import record_id

from ..outbox import sending
from . import delivery, services
from .models import SampleOrder, StripeEvent
from .payments import amount
from .states import IllegalTransition

logger = logging.getLogger(__name__)

PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
FAILED_EVENTS = {"checkout.session.async_payment_failed"}


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
