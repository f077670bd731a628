"""Exactly once under races (PostgreSQL): the same Stripe event delivered twice at once, and a bank-transfer
confirmation racing them, leave one payment transition."""

import threading

import pytest

from django.db import connection

from marketplace.orders import services
from marketplace.orders.models import OrderNotification, OrderState, OrderTransition, SampleOrder, StripeEvent
from marketplace.orders.states import IllegalTransition
from tests.marketplace.order_helpers import order_form, order_url
from tests.marketplace.test_orders_stripe import WEBHOOK_SECRET, deliver, event

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_webhooks_and_a_transfer_confirmation_racing_pay_once(settings, buyer, sample_a, da_nang, agency):
    from django.test import Client

    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    orders = []
    for _ in range(5):
        form = order_form(province=str(da_nang.pk))
        buyer.post(order_url(sample_a), form)
        order = SampleOrder.objects.get(form_token=form["form_token"])
        order.stripe_session_id = f"cs_test_race_{order.pk}"
        order.save(update_fields=["stripe_session_id"])
        orders.append(order)

    jobs = []
    for order in orders:
        payload = event(order, event_id=f"evt_race_{order.pk}")
        jobs += [("webhook", payload), ("webhook", payload), ("confirm", order)]
    barrier = threading.Barrier(len(jobs), timeout=30)
    statuses, refused = [], []

    def run(job):
        kind, value = job
        try:
            barrier.wait()
            if kind == "webhook":
                statuses.append(deliver(Client(), value).status_code)
            else:
                try:
                    services.confirm_transfer(value, agency)
                except IllegalTransition:
                    refused.append(value.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses.count(200) == 2 * len(orders)
    for order in orders:
        order.refresh_from_db()
        assert order.state == OrderState.PAID
        assert OrderTransition.objects.filter(order=order, to_state=OrderState.PAID).count() == 1
    assert StripeEvent.objects.count() == len(orders)
    # Each payment's emails went out (the outbox row is locked alone: FOR UPDATE refuses outer joins).
    paid_rows = OrderNotification.objects.filter(event="paid")
    assert paid_rows.count() == 3 * len(orders) and paid_rows.filter(sent_at__isnull=True).count() == 0
