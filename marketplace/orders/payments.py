"""Card payments through Stripe Checkout (the hosted page) and refunds: what we ask of Stripe.
(What Stripe tells us, the webhook that alone marks an order paid, is `webhooks`.)

Configured by STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET; STRIPE_API_BASE points the library
at another address (the tests' local fake). Without the secret key the card path is simply
not offered (nor without the webhook secret) and bank transfer works alone.
"""

import hashlib
import json
import logging

import stripe

from django.conf import settings
from django.utils import translation

from .delivery import order_url
from .models import SampleOrder

logger = logging.getLogger(__name__)

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


def checkout_url(order):
    """The hosted Checkout page for this order, created once per order and what it asks Stripe for.

    Stripe refuses an idempotency key sent again with other parameters (for 24 hours), so
    nothing here depends on the request: the title and the return address are in the language
    the buyer ordered in, at the site's configured address, whichever page Pay was clicked on.
    """
    currency, unit_amount = amount(order)
    with translation.override(order.language):
        title = order.localized_product_title
        back = order_url(order)
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
        "success_url": f"{back}?checkout=success",
        "cancel_url": f"{back}?checkout=cancelled",
    }
    try:
        session = client().v1.checkout.sessions.create(params, options={"idempotency_key": checkout_key(order, params)})
    except stripe.StripeError as error:
        logger.warning("Stripe Checkout for %s failed: %s", order.reference, error)
        raise StripeUnavailable(str(error)) from error
    SampleOrder.objects.filter(pk=order.pk).update(stripe_session_id=session.id, stripe_session_url=session.url or "")
    order.stripe_session_id, order.stripe_session_url = session.id, session.url or ""
    return session.url


def checkout_key(order, params):
    """The order and a digest of what is asked: the same request gets Stripe's first session back, and
    one that had to change (the product renamed in English meanwhile) a new session, not 24 hours of refusals."""
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    return f"sample-order-{order.pk}-checkout-{digest}"


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
