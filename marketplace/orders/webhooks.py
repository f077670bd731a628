"""Stripe's webhook: a verified event is stored once by its id and alone marks an order paid.

A forged, stale or future-dated signature and a signed event of the wrong shape are refused;
an event replayed, for an unknown session, or with an amount that does not match the order
changes nothing and is acknowledged.
"""

import json
import logging
import time

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


TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE


class BadSignature(Exception):
    pass


class MalformedEvent(Exception):
    """Signed, but not shaped like a Stripe event: nothing is stored."""


def verify(payload, signature):
    """The event as a dict, if Stripe signed it with our secret within five minutes of now, and it is one."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise BadSignature("no webhook secret configured")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, TOLERANCE)
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as error:
        raise BadSignature(str(error)) from error
    # verify_header refuses only signatures older than the tolerance: one dated later than it is as suspect.
    if _timestamp(signature) > time.time() + TOLERANCE:
        raise BadSignature("timestamp in the future")
    try:
        event = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedEvent(f"not JSON: {error}") from error
    check_shape(event)
    return event


def _timestamp(signature):
    # verify_header has parsed it already: a header that reaches here has one whole-number t=.
    return next(int(value) for key, _, value in (item.partition("=") for item in signature.split(",")) if key == "t")


# What the handler reads from the session, and the JSON types Stripe sends it as (None: null or absent).
SESSION_FIELDS = {
    "id": str,
    "payment_status": str,
    "currency": str,
    "payment_intent": str,
    "metadata": dict,
    # A whole number of the currency's minor unit: never 120000.0 nor "120000" (nor True, a Python int).
    "amount_total": int,
}


def check_shape(event):
    """Raise MalformedEvent unless `event` has an id, a type and an object; for the events handled, a
    Checkout Session whose fields read here have Stripe's types."""
    if not isinstance(event, dict):
        raise MalformedEvent("not an object")
    if not _storable(event.get("id")) or not event["id"].strip():
        # Events are stored once by their id: without one, every later one would read as a replay.
        raise MalformedEvent("no event id")
    if not _storable(event.get("type")):
        raise MalformedEvent("no event type")
    data = event.get("data")
    session = data.get("object") if isinstance(data, dict) else None
    if not isinstance(session, dict):
        raise MalformedEvent("no data object")
    # Every event's object id is stored with it; the other fields are read only for the events handled.
    handled = event["type"] in PAID_EVENTS | FAILED_EVENTS
    for field, kind in SESSION_FIELDS.items() if handled else [("id", str)]:
        value = session.get(field)
        if value is not None and (type(value) is not kind or (kind is str and not _storable(value))):
            raise MalformedEvent(f"{field} is not a {kind.__name__}")


def _storable(value):
    # Stripe's ids are short; PostgreSQL refuses NUL in text and the columns hold 255 characters.
    return isinstance(value, str) and len(value) <= 255 and "\x00" not in value


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
                    event_id=event_id, type=kind[:100], session_id=(session.get("id") or "")[:255]
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
