"""Card payments through Stripe Checkout with the real `stripe` library against a local fake API:
the session and its idempotency key, VND and USD amounts, the signed webhook (forged, stale,
replayed, unknown), refunds, and Stripe unreachable."""

import json
import logging
import secrets
import socket
import time

import hypothesis
import pytest
import stripe
from hypothesis import strategies as st

from django.urls import reverse
from django.utils import translation

from marketplace.orders.models import OrderState, SampleOrder, StripeEvent
from tests.marketplace.order_helpers import abroad_form, detail_url, order_form, order_url
from tests.marketplace.stripe_fake import FakeStripe

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "whsec_test_" + "a" * 24
WEBHOOK = "/payments/stripe/webhook/"


def _closed_port_url():
    # A port just freed by the system: nothing listens there, whatever else runs on the machine.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


UNREACHABLE = _closed_port_url()


@pytest.fixture(scope="module")
def fake_stripe():
    with FakeStripe() as fake:
        yield fake


@pytest.fixture
def stripe_on(settings, fake_stripe):
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake_stripe.url
    fake_stripe.reset()
    return fake_stripe


def place(buyer, product, form):
    response = buyer.post(order_url(product), form)
    assert response.status_code == 302
    return SampleOrder.objects.get(form_token=form["form_token"])


def pay(buyer, order):
    return buyer.post(reverse("orders:pay_card", args=[order.access_token]))


def event(order, kind="checkout.session.completed", event_id=None, **session):
    currency = "usd" if order.currency == "USD" else "vnd"
    body = {
        "id": order.stripe_session_id,
        "object": "checkout.session",
        "payment_status": "paid",
        "amount_total": order.total_usd_cents if currency == "usd" else order.total_vnd,
        "currency": currency,
        "payment_intent": "pi_test_" + order.reference.replace("-", ""),
        "metadata": {"order_id": str(order.pk)},
    }
    body.update(session)
    return json.dumps(
        {
            "id": event_id or "evt_test_" + secrets.token_hex(8),
            "object": "event",
            "type": kind,
            "data": {"object": body},
        }
    )


def deliver(client, payload, secret=WEBHOOK_SECRET, timestamp=None):
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return client.post(WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


@pytest.fixture
def vnd_order(buyer, sample_a, da_nang, stripe_on):
    return place(buyer, sample_a, order_form(province=str(da_nang.pk)))


@pytest.fixture
def card_order(buyer, vnd_order):
    """A VND order whose buyer clicked Pay: it has a Checkout Session."""
    pay(buyer, vnd_order)
    vnd_order.refresh_from_db()
    return vnd_order


def test_session_is_created_on_the_server_once_per_order_in_vnd(buyer, vnd_order, stripe_on):
    response = pay(buyer, vnd_order)
    vnd_order.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == vnd_order.stripe_session_url
    assert vnd_order.stripe_session_id.startswith("cs_test_") and vnd_order.state == OrderState.PENDING
    (call,) = stripe_on.posts("/v1/checkout/sessions")
    assert call["headers"]["Idempotency-Key"].startswith(f"sample-order-{vnd_order.pk}-checkout-")
    assert call["headers"]["Authorization"] == "Bearer sk_test_fake"
    params = call["params"]
    # VND is zero-decimal: the amount is whole đồng, as computed on the server.
    assert params["line_items[0][price_data][currency]"] == "vnd"
    assert params["line_items[0][price_data][unit_amount]"] == "275000"
    assert params["metadata[order_id]"] == str(vnd_order.pk) and params["mode"] == "payment"
    assert params["success_url"].endswith(detail_url(vnd_order) + "?checkout=success")

    # Clicking Pay again reuses the key: Stripe answers with the same session.
    first = vnd_order.stripe_session_id
    pay(buyer, vnd_order)
    vnd_order.refresh_from_db()
    calls = stripe_on.posts("/v1/checkout/sessions")
    assert len(calls) == 2 and calls[1]["headers"]["Idempotency-Key"] == calls[0]["headers"]["Idempotency-Key"]
    assert vnd_order.stripe_session_id == first and len(stripe_on.sessions) == 1


def test_the_fake_refuses_a_key_used_again_with_other_parameters_as_stripe_does(stripe_on):
    from marketplace.orders import payments

    params = {"mode": "payment", "success_url": "https://a.example/vi/", "line_items": [{"quantity": 1}]}
    params["line_items"][0]["price_data"] = {"currency": "vnd", "unit_amount": 1000, "product_data": {"name": "x"}}
    payments.client().v1.checkout.sessions.create(params, options={"idempotency_key": "fake-rule"})
    with pytest.raises(stripe.IdempotencyError):
        payments.client().v1.checkout.sessions.create(
            {**params, "success_url": "https://a.example/en/"}, options={"idempotency_key": "fake-rule"}
        )


def test_paying_from_the_vietnamese_then_the_english_page_gets_one_session(buyer, vnd_order, stripe_on):
    """The key and what it is sent with do not depend on the page's language (issue 20, item 6)."""
    locations = []
    for language in ("vi", "en"):
        with translation.override(language):
            url = reverse("orders:pay_card", args=[vnd_order.access_token])
        assert url.startswith(f"/{language}/")
        response = buyer.post(url)
        assert response.status_code == 302, language
        locations.append(response["Location"])
    assert locations[0] == locations[1] and locations[0].startswith("https://checkout.stripe.test/")
    first, second = stripe_on.posts("/v1/checkout/sessions")
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]
    assert first["params"] == second["params"] and len(stripe_on.sessions) == 1
    # Stripe sends the buyer back to the order's page in the language the order was placed in.
    with translation.override(vnd_order.language):
        assert first["params"]["success_url"] == f"http://testserver{detail_url(vnd_order)}?checkout=success"


def test_a_foreign_buyer_pays_in_usd_cents(buyer, sample_a, zones, stripe_on):
    order = place(buyer, sample_a, abroad_form(quantity="1"))
    assert "Pay US$ 38.19 by card" in buyer.get(detail_url(order)).content.decode()
    pay(buyer, order)
    (call,) = stripe_on.posts("/v1/checkout/sessions")
    assert call["params"]["line_items[0][price_data][currency]"] == "usd"
    assert call["params"]["line_items[0][price_data][unit_amount]"] == "3819"


def test_a_verified_webhook_marks_the_order_paid_once(client, buyer, card_order):
    payload = event(card_order, event_id="evt_test_once")
    response = deliver(client, payload)
    assert response.status_code == 200 and response.content == b"paid"
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PAID and card_order.payment_method == "card"
    assert card_order.stripe_payment_intent == "pi_test_" + card_order.reference.replace("-", "")
    step = card_order.transitions.get()
    assert step.actor == "Stripe" and "evt_test_once" in step.note

    # The same event again (Stripe retries deliveries): acknowledged, nothing changes.
    replay = deliver(client, payload)
    assert replay.status_code == 200 and b"replayed" in replay.content
    # A later success event for the same session: acknowledged, still one payment.
    again = deliver(client, event(card_order, kind="checkout.session.async_payment_succeeded"))
    assert again.status_code == 200 and b"not applied" in again.content
    assert card_order.transitions.count() == 1 and StripeEvent.objects.count() == 2


def test_a_card_payment_after_a_confirmed_transfer_alerts_the_agency(client, card_order, agency, mailoutbox):
    from marketplace.orders import services

    services.confirm_transfer(card_order, agency)
    mailoutbox.clear()
    response = deliver(client, event(card_order))
    assert response.status_code == 200 and b"not applied: order was paid; payment pi_test_" in response.content
    (alert,) = mailoutbox
    # The agency set no language, so it is alerted in the site's default, Vietnamese.
    assert alert.to == ["agency@example.vn"] and "chưa được ghi nhận: hãy kiểm tra để hoàn tiền" in alert.subject
    card_order.refresh_from_db()
    assert card_order.payment_method == "bank_transfer" and card_order.transitions.count() == 1


def test_the_success_page_never_marks_paid(buyer, card_order):
    html = buyer.get(detail_url(card_order) + "?checkout=success").content.decode()
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING and "Stripe is confirming your card payment" in html


def test_forged_stale_and_unsigned_webhooks_get_400(client, card_order):
    payload = event(card_order)
    assert deliver(client, payload, secret="whsec_someone_else").status_code == 400
    assert deliver(client, payload, timestamp=int(time.time()) - 600).status_code == 400
    assert client.post(WEBHOOK, payload, content_type="application/json").status_code == 400
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    tampered = payload.replace('"paid"', '"paid" ', 1)
    assert (
        client.post(WEBHOOK, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header).status_code == 400
    )
    assert deliver(client, "not json").status_code == 400
    assert client.get(WEBHOOK).status_code == 405
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING and StripeEvent.objects.count() == 0


def test_an_event_for_an_unknown_session_is_logged_and_acknowledged(client, card_order, caplog):
    payload = event(card_order, id="cs_test_nobody", metadata={})
    with caplog.at_level(logging.WARNING, logger="marketplace.orders.payments"):
        response = deliver(client, payload)
    assert response.status_code == 200 and response.content == b"unknown session"
    assert "unknown session cs_test_nobody" in caplog.text
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING


def test_a_wrong_amount_is_not_taken_as_payment(client, card_order):
    response = deliver(client, event(card_order, amount_total=1000))
    assert response.status_code == 200 and b"amount mismatch" in response.content
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING


def test_asynchronous_payments_wait_for_success_or_failure(client, card_order, mailoutbox):
    processing = deliver(client, event(card_order, payment_status="unpaid"))
    assert b"still processing" in processing.content
    mailoutbox.clear()
    failed = deliver(client, event(card_order, kind="checkout.session.async_payment_failed", payment_status="unpaid"))
    assert failed.status_code == 200 and failed.content == b"payment failed"
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING
    assert any("did not go through" in m.subject for m in mailoutbox if m.to == [card_order.email])
    deliver(client, event(card_order, kind="checkout.session.async_payment_succeeded"))
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PAID


def test_refund_of_a_card_payment_goes_through_stripe(client, card_order, agency, stripe_on, settings):
    deliver(client, event(card_order))
    admin_url = reverse("marketplace_sample_order", args=[card_order.pk])
    client.force_login(agency)

    settings.STRIPE_API_BASE = UNREACHABLE
    response = client.post(admin_url, {"action": "refund", "note": "damaged"}, follow=True)
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PAID and "Stripe did not take the refund" in response.content.decode()

    settings.STRIPE_API_BASE = stripe_on.url
    client.post(admin_url, {"action": "refund", "note": "damaged"})
    card_order.refresh_from_db()
    (call,) = stripe_on.posts("/v1/refunds")
    assert call["params"] == {"payment_intent": card_order.stripe_payment_intent}
    assert call["headers"]["Idempotency-Key"] == f"sample-order-{card_order.pk}-refund"
    assert card_order.state == OrderState.REFUNDED and card_order.stripe_refund_id.startswith("re_")
    assert [t.to_state for t in card_order.transitions.all()] == ["paid", "refunded"]


def test_stripe_unreachable_keeps_the_order_pending_with_a_way_to_retry(buyer, vnd_order, settings, stripe_on):
    settings.STRIPE_API_BASE = UNREACHABLE
    response = pay(buyer, vnd_order)
    assert response.status_code == 302 and response["Location"] == detail_url(vnd_order)
    html = buyer.get(response["Location"]).content.decode()
    vnd_order.refresh_from_db()
    assert vnd_order.state == OrderState.PENDING and vnd_order.stripe_session_id is None
    assert "cannot be reached right now" in html
    assert reverse("orders:pay_card", args=[vnd_order.access_token]) in html  # try again
    settings.STRIPE_API_BASE = stripe_on.url
    assert pay(buyer, vnd_order)["Location"].startswith("https://checkout.stripe.test/")


def test_without_a_webhook_secret_every_event_is_refused(client, card_order, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert deliver(client, event(card_order)).status_code == 400


def form_action(response):
    policy = response["Content-Security-Policy"]
    return next(d for d in policy.split(";") if d.strip().startswith("form-action")).split()[1:]


def test_the_order_page_lets_its_card_form_lead_to_stripe_and_nowhere_else(buyer, vnd_order, settings):
    # A browser checks the redirect that answers a form against the page's form-action (tests/test_browser_journey.py).
    settings.STRIPE_CHECKOUT_ORIGIN = "https://checkout.stripe.test"
    assert form_action(buyer.get(detail_url(vnd_order))) == ["'self'", "https://checkout.stripe.test"]
    # Everywhere else, and once the order is paid, forms post to the site only.
    SampleOrder.objects.filter(pk=vnd_order.pk).update(state=OrderState.PAID)
    for url in (detail_url(vnd_order), order_url(vnd_order.product)):
        assert form_action(buyer.get(url)) == ["'self'"], url


def raw_event(event_id="evt_test_shape", data=None):
    """A validly signed event of any shape (Stripe's own never look like these; a leaked secret's might)."""
    body = {"id": event_id, "object": "event", "type": "checkout.session.completed", "data": data}
    return json.dumps({k: v for k, v in body.items() if v is not None or k == "data"})


def test_signed_events_of_the_wrong_shape_get_400_not_500(client, card_order):
    """Issue 20, item 6: `data` or `metadata` a list answered 500."""
    good = json.loads(event(card_order))["data"]["object"]
    shapes = [
        raw_event(data=[1, 2]),
        raw_event(data={"object": [good]}),
        raw_event(data={"object": {**good, "metadata": ["order_id", str(card_order.pk)]}}),
        raw_event(data={"object": {**good, "id": ["cs"], "metadata": {}}}),
        raw_event(data={"object": {**good, "currency": 704}}),
        json.dumps([{"id": "evt_list"}]),
        json.dumps({**json.loads(event(card_order)), "type": ["checkout.session.completed"]}),
    ]
    for payload in shapes:
        response = deliver(client, payload)
        assert response.status_code == 400, payload
        assert b"malformed" in response.content
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING and not StripeEvent.objects.exists()


def test_an_amount_is_a_whole_number_of_the_minor_unit(client, card_order):
    """120000.0 or "120000" equal to the price is not a payment of it: Stripe sends integers."""
    for amount in (float(card_order.total_vnd), str(card_order.total_vnd), card_order.total_vnd + 0.4, True):
        response = deliver(client, event(card_order, amount_total=amount))
        assert response.status_code == 400 and b"malformed" in response.content, amount
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING
    assert deliver(client, event(card_order, amount_total=card_order.total_vnd)).content == b"paid"


def test_an_event_without_an_id_is_refused(client, card_order):
    """Events were stored once by their id: without one, all of them collapsed into a single row."""
    for event_id in ("", " ", None, 12, ["evt"], "evt_" + "x" * 300, "evt_\x00"):
        payload = json.loads(event(card_order))
        payload["id"] = event_id
        if event_id is None:
            del payload["id"]
        response = deliver(client, json.dumps(payload))
        assert response.status_code == 400, event_id
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING and not StripeEvent.objects.exists()


def test_a_signature_dated_in_the_future_is_refused(client, card_order):
    """stripe's verify_header checks only that a signature is not too old; one from the future is as suspect."""
    future = int(time.time()) + stripe.Webhook.DEFAULT_TOLERANCE + 60
    assert deliver(client, event(card_order), timestamp=future).status_code == 400
    # A clock a little ahead of ours (within the tolerance) is fine.
    assert deliver(client, event(card_order), timestamp=int(time.time()) + 30).content == b"paid"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
SESSION_KEYS = ("id", "metadata", "amount_total", "currency", "payment_status", "payment_intent")


@hypothesis.settings(
    max_examples=40, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    data=st.one_of(JSON, st.fixed_dictionaries({"object": st.dictionaries(st.sampled_from(SESSION_KEYS), JSON)})),
    kind=st.sampled_from(["checkout.session.completed", "checkout.session.async_payment_failed", "other"]),
)
def test_any_signed_shape_gets_200_or_400_never_500(client, card_order, data, kind):
    payload = json.dumps({"id": "evt_" + secrets.token_hex(8), "type": kind, "data": data})
    response = deliver(client, payload)
    assert response.status_code in (200, 400)
    card_order.refresh_from_db()
    assert card_order.state == OrderState.PENDING
