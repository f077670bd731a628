"""make bench-payments: Stripe webhooks and bank-transfer confirmations racing for the same orders,
under gunicorn on PostgreSQL.

    python -m tests.bench.payments [--database URL] [--orders 50] [--workers 4] [--port 8025]

Recreates a scratch database (never the site's own), migrates it, seeds one product with samples,
an agency account and ORDERS unpaid orders that each have a Checkout Session, then starts gunicorn
on 127.0.0.1 (production settings). It signs one `checkout.session.completed` event per order with
the webhook secret, the way Stripe does, and fires everything at once behind a barrier: every event
twice (Stripe retries) and, for every order, the agency's "transfer received" through the admin,
shuffled together. It then counts what the database holds and prints orders paid, payment
transitions, 5xx and p50/p95. Every wait is bounded; only 127.0.0.1 is contacted.
"""

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from .inquiries import Client, environment, gunicorn, hidden, manage, percentile, recreate

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/ocop_bench_payments"
HOST = "127.0.0.1"
WEBHOOK_SECRET = "whsec_bench_payments_not_secret"  # noqa: S105 (signs the benchmark's own events only)
AGENCY_EMAIL = "bench@agency.example"
AGENCY_PASSWORD = "bench-payments-agency-password"  # noqa: S105 (a scratch database's throwaway account)


def seed(count):
    """A visible product offering samples, an agency login, and `count` orders waiting for payment."""
    import datetime
    import uuid

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from catalogue.access import AGENCY_GROUP
    from catalogue.models import ProductPage
    from marketplace.orders.models import SampleOrder, SampleOrderSettings
    from tests.bench.inquiries import seed as seed_product

    product = seed_product()
    ProductPage.objects.filter(pk=product.pk).update(sample_available=True, sample_price_vnd=120_000)
    User = get_user_model()
    agency, _ = User.objects.get_or_create(username=AGENCY_EMAIL, defaults={"email": AGENCY_EMAIL})
    agency.set_password(AGENCY_PASSWORD)
    agency.save()
    agency.groups.add(Group.objects.get(name=AGENCY_GROUP))
    order_settings = SampleOrderSettings.load()
    now = timezone.now()
    orders = []
    for n in range(count):
        order = SampleOrder.objects.create(
            product=product,
            product_title=product.title,
            producer=product.producer,
            quantity=1,
            unit_price_vnd=120_000,
            shipping_fee_vnd=order_settings.domestic_fee_vnd,
            shipping_zone="Domestic (Vietnam)",
            total_vnd=120_000 + order_settings.domestic_fee_vnd,
            name=f"Bench Buyer {n}",
            email=f"buyer{n}@bench.example",
            phone="+84905123456",
            country="VN",
            address_line="12 Bạch Đằng",
            commune="Phường Hải Châu",
            consent_at=now,
            form_token=uuid.uuid4(),
            expires_at=now + datetime.timedelta(hours=order_settings.expiry_hours),
        )
        order.stripe_session_id = f"cs_bench_{order.pk}"
        order.save(update_fields=["stripe_session_id"])
        orders.append(order)
    return orders


def signed_event(order):
    import stripe

    payload = json.dumps(
        {
            "id": f"evt_bench_{order.pk}",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": order.stripe_session_id,
                    "object": "checkout.session",
                    "payment_status": "paid",
                    "amount_total": order.total_vnd,
                    "currency": "vnd",
                    "payment_intent": f"pi_bench_{order.pk}",
                    "metadata": {"order_id": str(order.pk)},
                }
            },
        }
    )
    return payload, stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)


def agency_session(port):
    """Log in to the admin as the agency once; the confirmations share its cookies."""
    client = Client(port)
    headers = {"X-Forwarded-For": HOST}
    status, _location, html = client.request("GET", "/admin/login/", headers=headers)
    if status != 200:
        raise RuntimeError(f"admin login page answered {status}")
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
            "username": AGENCY_EMAIL,
            "password": AGENCY_PASSWORD,
            "next": "/admin/",
        }
    )
    status, location, _html = client.request(
        "POST",
        "/admin/login/",
        body=body,
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{HOST}:{port}/"},
    )
    if status != 302:
        raise RuntimeError(f"agency login answered {status}")
    status, _location, html = client.request("GET", "/admin/sample-orders/", headers=headers)
    if status != 200:
        raise RuntimeError(f"sample orders list answered {status}")
    return client, client.cookies["csrftoken"]  # rotated at login; the cookie's value is a valid form token


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_PAYMENTS_URL", DEFAULT_DATABASE))
    parser.add_argument("--orders", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--seed", type=int, default=11, help="shuffle of the requests (fixed: runs compare)")
    args = parser.parse_args(argv)
    if not 1 <= args.orders <= 500:
        sys.exit("need 1 <= orders <= 500")

    env = environment(args.database, args.port)
    env.update({"STRIPE_SECRET_KEY": "sk_test_bench_never_called", "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET})
    os.environ.update(env)
    recreate(args.database)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    orders = seed(args.orders)
    from django.db import connection

    connection.close()

    with gunicorn(args.port, args.workers, env):
        agency, csrf = agency_session(args.port)
        jobs = []
        for order in orders:
            payload, signature = signed_event(order)
            jobs += [("webhook", order, payload, signature)] * 2
            jobs.append(("confirm", order, None, None))
        random.Random(args.seed).shuffle(jobs)  # noqa: S311 (an ordering, not a secret)
        barrier = threading.Barrier(len(jobs), timeout=120)

        def fire(job):
            kind, order, payload, signature = job
            if kind == "webhook":
                client, path, body = Client(args.port), "/payments/stripe/webhook/", payload
                headers = {"Content-Type": "application/json", "Stripe-Signature": signature}
            else:
                client, path = agency, f"/admin/sample-orders/{order.pk}/"
                body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "action": "confirm", "note": "bench"})
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://{HOST}:{args.port}{path}",
                    "X-Forwarded-For": HOST,
                }
            barrier.wait()
            started = time.perf_counter()
            status, location, text = client.request("POST", path, body=body, headers=headers)
            return kind, status, location, text, time.perf_counter() - started

        wall = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            results = list(pool.map(fire, jobs))
        wall = time.perf_counter() - wall

    from django.core.management import call_command
    from django.db.models import Count

    from marketplace.orders.models import OrderNotification, OrderTransition, SampleOrder, StripeEvent

    ids = [o.pk for o in orders]
    paid = SampleOrder.objects.filter(pk__in=ids, state="paid").count()
    payments = OrderTransition.objects.filter(order_id__in=ids, to_state="paid")
    per_order = dict(payments.values("order_id").annotate(n=Count("pk")).values_list("order_id", "n"))
    by_card = SampleOrder.objects.filter(pk__in=ids, payment_method="card").count()
    by_transfer = SampleOrder.objects.filter(pk__in=ids, payment_method="bank_transfer").count()
    transitions = OrderTransition.objects.filter(order_id__in=ids).count()
    events = StripeEvent.objects.count()
    server_errors = sum(1 for _k, status, _l, _t, _s in results if status >= 500)
    webhook_ok = sum(1 for kind, status, _l, _t, _s in results if kind == "webhook" and status == 200)
    confirm_ok = sum(1 for kind, status, _l, _t, _s in results if kind == "confirm" and status == 302)
    outcomes = {}
    for kind, _status, _l, text, _s in results:
        if kind == "webhook":
            key = text.split(":")[0][:40]
            outcomes[key] = outcomes.get(key, 0) + 1
    latencies = [s * 1000 for _k, _st, _l, _t, s in results]
    outbox = OrderNotification.objects.filter(order_id__in=ids).count()
    call_command("send_pending_notifications")  # what cron runs every minute; emails go to a dummy backend
    sent = OrderNotification.objects.filter(order_id__in=ids, sent_at__isnull=False).count()

    once = all(per_order.get(pk) == 1 for pk in ids)
    print(
        f"bench-payments: {len(results)} concurrent POSTs ({2 * len(ids)} signed checkout.session.completed "
        f"webhooks, each event twice, and {len(ids)} bank-transfer confirmations through the admin, shuffled) "
        f"for {len(ids)} orders to gunicorn with {args.workers} workers on PostgreSQL, {wall:.2f} s wall"
    )
    print(f"  orders paid:         {paid} of {len(ids)} ({by_card} by card webhook, {by_transfer} by transfer)")
    print(
        f"  payment transitions: {payments.count()} ({'exactly one' if once else 'NOT one'} per order); "
        f"{transitions} transitions recorded in all"
    )
    print(f"  stripe events:       {events} stored; webhook answers {outcomes}")
    print(
        f"  answers:             {webhook_ok} webhooks 200, {confirm_ok} confirmations redirected, {server_errors} 5xx"
    )
    print(
        f"  latency:             p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
        f"max {max(latencies):.0f} ms"
    )
    print(f"  emails:              {outbox} outbox rows, {sent} sent after send_pending_notifications")
    ok = paid == len(ids) and once and transitions == len(ids) and server_errors == 0 and events == len(ids)
    print(
        "  result:              "
        + ("OK: every order paid exactly once, one payment transition each, no 5xx" if ok else "FAILED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
