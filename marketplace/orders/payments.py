"""Card payments through Stripe Checkout (the hosted page) and refunds: what we ask of Stripe.
(What Stripe tells us, the webhook that alone marks an order paid, is `webhooks`.)

Configured by STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET; STRIPE_API_BASE points the library
at another address (the tests' local fake). Without the secret key the card path is simply
not offered (nor without the webhook secret) and bank transfer works alone.
"""

import logging

import stripe

from django.conf import settings
from django.utils import translation

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
