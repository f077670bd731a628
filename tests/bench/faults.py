"""make bench-faults: load on the running stack while one part at a time breaks; a table per fault.

    python -m tests.bench.faults [--base-port 8800] [--seconds 15] [--smtp-down 20] [--only redis,search]

For each fault it runs, through the stack's proxy and for `--seconds`: page views (half of them
with the cache bypassed, so the app servers render them), searches (uncached), inquiries sent
through the real form (its CSRF cookie, one-time token and fill-time stamp; tests/bench/inquiries.py)
and sample orders through theirs, each then paid by a `checkout.session.completed` webhook signed
with the stack's STRIPE_WEBHOOK_SECRET (stripe.WebhookSignature.generate_signature_header).
Meanwhile it breaks one part, then brings it back with the command line it ran with:

- app-1 killed (SIGKILL of its gunicorn group): nginx routes around it;
- redis killed: pages served uncached, rate limits fail open (config/cache.py);
- search server frozen (SIGSTOP, then SIGCONT): osmem keeps its in-memory index, searches fall
  back to the embedded engine after the client's 5 s timeout;
- S3 server killed (the bucket saved first and put back after, as `make stack-stop` does);
- SMTP server killed for `--smtp-down` seconds (20 by default, shorter than a minute);
- worker killed (SIGKILL) while it sends.

Then it waits (bounded) until every e-mail of the inquiries and orders it sent is marked sent and
counts them per reference in the SMTP server's Maildir: lost = accepted forms missing from the
database, orders the webhook did not mark paid, and e-mails never received; twice = e-mails
received more than once. Before the run it clears the
stack's Redis (the rate-limit counters: every request comes from 127.0.0.1). PostgreSQL is the
machine's shared server and is not restarted here (tests/faults/test_database.py).
"""

import argparse
import collections
import email
import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from urllib.parse import quote

import stripe

from tests.bench.inquiries import MIN_FILL_SECONDS, Client, hidden, prepare, submit
from tests.bench.stack import HOST, ROOT, SAFE, STACK, ensure_stack, get, load_average, say, stack_env

_spec = importlib.util.spec_from_file_location("stack_script", ROOT / "config" / "stack" / "stack.py")
stack = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(stack)

WAIT_FOR_MAIL = 300  # seconds: a failed first send waits 1-4 minutes of back-off for the every-minute job
FAULTS = ["app-server", "redis", "search", "storage", "smtp", "worker"]


def pid_of(name):
    return int((STACK / "pids" / f"{name}.pid").read_text())


def command_of(name, pid):
    if name == "redis":  # redis-server rewrites its command line into a title: config/stack/stack.py's own
        port = stack_env()["REDIS_URL"].rsplit(":", 1)[1].split("/")[0]
        return ["redis-server", "--bind", HOST, "--port", port, "--save", "", "--appendonly", "no",
                "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru", "--daemonize", "no"]  # fmt: skip
    return [part.decode() for part in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if part]


def kill(name, sig=signal.SIGKILL):
    """Kill one stack process's group; returns its command line, to start it again."""
    pid = pid_of(name)
    command = command_of(name, pid)
    os.killpg(pid, sig)
    deadline = time.monotonic() + 15
    while stack.pid_alive(pid) and time.monotonic() < deadline:
        stack.reap(pid)
        time.sleep(0.1)
    return command


def restart(name, command, port=None):
    env = {**os.environ, **stack_env()}
    process = stack.spawn(name, command, env)
    if port:
        stack.wait_for_port(name, port, process)


class Load:
    """Page views, searches and inquiries from a few threads until `stop`; outcomes counted."""

    def __init__(self, proxy_port, pages, searches, product_path, order_path):
        self.port, self.pages, self.searches, self.product_path = proxy_port, pages, searches, product_path
        self.order_path = order_path
        self.ordered = []
        self.proxy = f"http://{HOST}:{proxy_port}"
        self.counts = collections.Counter()
        self.statuses = collections.Counter()
        self.accepted = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.number = random.randrange(10**6)  # noqa: S311 (names of bench buyers)

    def note(self, kind, status):
        with self.lock:
            self.counts[kind] += 1
            self.statuses[(kind, status)] += 1

    def browse(self, seed):
        rng = random.Random(seed)  # noqa: S311
        while not self.stop.is_set():
            path = rng.choice(self.pages)
            bypass = {"X-Cache-Bypass": "1"} if rng.random() < 0.5 else {}
            self.note("page", get(self.proxy + path, bypass, timeout=30)[0])

    def search(self, seed):
        rng = random.Random(seed)  # noqa: S311
        while not self.stop.is_set():
            self.note("search", get(self.proxy + rng.choice(self.searches), {"X-Cache-Bypass": "1"}, timeout=30)[0])

    def inquire(self):
        while not self.stop.is_set():
            with self.lock:
                self.number += 1
                number = self.number
            try:
                client, body, action, token = prepare(self.port, self.product_path, number)
            except (RuntimeError, OSError, AttributeError) as error:
                self.note("inquiry", f"form: {type(error).__name__}")
                time.sleep(1)
                continue
            time.sleep(MIN_FILL_SECONDS + 0.3)
            try:
                status = submit(client, body, action, self.port)[0]
            except OSError as error:
                status = f"post: {type(error).__name__}"
            self.note("inquiry", status)
            if status == 302:
                with self.lock:
                    self.accepted.append(token)

    def order(self):
        """A sample order through the real form, then paid by a Stripe webhook signed with the stack's secret."""
        from catalogue.models import Province
        from marketplace.orders.models import SampleOrder

        province = Province.objects.current().get(slug="da-nang").pk
        headers = {"Accept-Language": "en"}
        while not self.stop.is_set():
            with self.lock:
                self.number += 1
                number = self.number
            client = Client(self.port)
            try:
                status, _location, html = client.request("GET", self.order_path, headers=headers)
                fields = {name: hidden(html, name) for name in ("csrfmiddlewaretoken", "started", "form_token")}
            except (RuntimeError, OSError) as error:
                self.note("order", f"form: {type(error).__name__}")
                time.sleep(1)
                continue
            fields.update(
                quantity="1",
                name=f"Bench Buyer {number}",
                company="",
                email=f"order{number}@bench.example",
                phone="+84905123456",
                country="VN",
                province=str(province),
                commune="hai chau",
                address_line="12 Bạch Đằng",
                city="",
                postal_code="",
                currency="VND",
                consent="on",
                website="",
            )
            time.sleep(MIN_FILL_SECONDS + 0.3)
            post = {
                **headers,
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"http://{HOST}:{self.port}",
                "Referer": f"http://{HOST}:{self.port}{self.order_path}",
            }
            try:
                status = client.request("POST", self.order_path, urllib.parse.urlencode(fields), post)[0]
            except OSError as error:
                status = f"post: {type(error).__name__}"
            self.note("order", status)
            if status != 302:
                continue
            placed = SampleOrder.objects.get(form_token=fields["form_token"])
            payload, signature = signed_payment(placed)
            try:
                paid = Client(self.port).request(
                    "POST",
                    "/payments/stripe/webhook/",
                    payload,
                    {"Content-Type": "application/json", "Stripe-Signature": signature},
                )[0]
            except OSError as error:
                paid = f"post: {type(error).__name__}"
            self.note("webhook", paid)
            with self.lock:
                self.ordered.append(fields["form_token"])

    def run(self, seconds, during):
        threads = [threading.Thread(target=self.browse, args=(n,)) for n in range(3)]
        threads += [threading.Thread(target=self.search, args=(10,)), threading.Thread(target=self.inquire)]
        threads.append(threading.Thread(target=self.order))
        for thread in threads:
            thread.start()
        try:
            during(seconds)
        finally:
            self.stop.set()
            for thread in threads:
                thread.join(timeout=60)


def signed_payment(order):
    """Stripe's checkout.session.completed for `order`, signed as Stripe signs it (tests/bench/payments.py)."""
    payload = json.dumps(
        {
            "id": f"evt_faults_{order.pk}",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": f"cs_faults_{order.pk}",
                    "object": "checkout.session",
                    "payment_status": "paid",
                    "amount_total": order.total_vnd,
                    "currency": "vnd",
                    "payment_intent": f"pi_faults_{order.pk}",
                    "metadata": {"order_id": str(order.pk)},
                }
            },
        }
    )
    return payload, stripe.WebhookSignature.generate_signature_header(payload, stack_env()["STRIPE_WEBHOOK_SECRET"])


def addresses():
    """Pages to view, searches to run and a product with an inquiry form, from the stack's database."""
    os.environ.update(stack_env())
    import django

    django.setup()
    from tests.page_tour import main_pages

    pages, searches = [], []
    for language in ("vi", "en"):
        tour = dict(main_pages(language))
        pages += [quote(tour[name], safe=SAFE) for name in ("home", "product", "certification", "fair", "producer")]
        searches += [
            quote(tour["search"], safe=SAFE),
            f"/{language}/search/?q=mat+ong",
            f"/{language}/search/?q=nuoc+mam&stars=4",
        ]
    tour = dict(main_pages("en"))
    return pages, searches, tour["product"], quote(tour["sample-order"], safe=SAFE)


def delivered_mail(since):
    """{(recipient, subject, Message-ID)}: how many times each arrived in the SMTP server's Maildir since `since`."""
    found = collections.Counter()
    for path in (STACK / "mail" / "new").iterdir():
        if path.stat().st_mtime < since:
            continue
        message = email.message_from_bytes(path.read_bytes())
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"] or "")))
        found[(message["To"].strip().lower(), subject, message["Message-ID"])] += 1
    return found


def account(load, since):
    """(stored, paid, e-mails expected, lost, twice) for the inquiries and orders accepted under load."""
    from marketplace.inquiries.models import Inquiry, InquiryNotification
    from marketplace.orders.models import OrderNotification, OrderState, SampleOrder

    inquiries = list(Inquiry.objects.filter(form_token__in=load.accepted))
    orders = list(SampleOrder.objects.filter(form_token__in=load.ordered))
    rows = [
        InquiryNotification.objects.filter(inquiry__in=inquiries).exclude(recipient=""),
        OrderNotification.objects.filter(order__in=orders).exclude(recipient=""),
    ]
    deadline = time.monotonic() + WAIT_FOR_MAIL
    while any(r.filter(sent_at__isnull=True, gave_up_at__isnull=True).exists() for r in rows):
        if time.monotonic() > deadline:
            break
        time.sleep(5)
    received = delivered_mail(since)
    references = [row.reference for row in inquiries + orders]
    per_reference, ids = collections.Counter(), collections.defaultdict(set)
    for (_to, subject, message_id), times in received.items():
        for reference in references:
            if reference in subject:
                per_reference[reference] += times
                ids[reference].add(message_id)
    expected = collections.Counter(row.inquiry.reference for row in rows[0].select_related("inquiry"))
    expected.update(row.order.reference for row in rows[1].select_related("order"))
    paid = sum(
        1 for order in SampleOrder.objects.filter(pk__in=[o.pk for o in orders]) if order.state == OrderState.PAID
    )
    lost = len(load.accepted) - len(inquiries) + len(load.ordered) - len(orders) + (len(orders) - paid)
    lost += sum(max(expected[r] - per_reference[r], 0) for r in expected)
    twice = sum(max(per_reference[r] - expected[r], 0) for r in expected)
    # A copy with a Message-ID already received is a resend of the same e-mail (outbox.sending.message_id).
    resent = sum(max(per_reference[r] - len(ids[r]), 0) for r in expected)
    return len(inquiries) + len(orders), paid, sum(expected.values()), lost, twice, resent


def table(name, load, outcome, note):
    stored, paid, mails, lost, twice, resent = outcome
    total = sum(load.counts.values())
    errors = sum(n for (_kind, status), n in load.statuses.items() if isinstance(status, int) and status >= 500)
    say(f"\n== {name}   ({load_average()})")
    say(f"  requests {total}: " + ", ".join(f"{kind} {n}" for kind, n in sorted(load.counts.items())))
    say(
        f"  5xx {errors}; answers: "
        + ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(load.statuses.items(), key=str))
    )
    say(
        f"  inquiries and orders accepted {len(load.accepted) + len(load.ordered)}, stored {stored}; "
        f"orders paid by webhook {paid} of {len(load.ordered)}; e-mails expected {mails}"
    )
    say(f"  lost {lost}   received twice {twice} (of which the same Message-ID twice: {resent})   {note}")
    return errors, lost, twice, resent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base-port", type=int, default=8800)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=15, help="load per fault")
    parser.add_argument("--smtp-down", type=int, default=20, help="seconds the SMTP server stays down")
    parser.add_argument("--only", default=",".join(FAULTS))
    args = parser.parse_args(argv)
    ensure_stack(args.base_port, args.products)
    port = stack.ports(args.base_port)
    pages, searches, product, order = addresses()
    subprocess.run(["redis-cli", "-p", str(port["redis"]), "flushdb"], check=True, capture_output=True, timeout=10)  # noqa: S603, S607
    say(
        f"bench-faults {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {args.seconds} s of load per fault "
        f"through {HOST}:{args.base_port}; {load_average()}"
    )

    def app_server(seconds):
        time.sleep(2)
        command = kill("app-1")
        time.sleep(seconds - 4)
        restart("app-1", command, port["app-1"])

    def redis_down(seconds):
        time.sleep(2)
        command = kill("redis")
        time.sleep(seconds - 4)
        restart("redis", command, port["redis"])

    def search_frozen(seconds):
        time.sleep(2)
        os.killpg(pid_of("search"), signal.SIGSTOP)
        time.sleep(seconds - 4)
        os.killpg(pid_of("search"), signal.SIGCONT)

    def storage_down(seconds):
        stack.save_media(STACK / "env")
        time.sleep(1)
        command = kill("s3")
        time.sleep(seconds - 3)
        restart("s3", command, port["s3"])
        stack.restore_media(
            {**stack_env(), "STACK_DATABASE": stack_env()["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0]}
        )

    def smtp_down(seconds):
        command = kill("smtp")
        time.sleep(max(seconds, args.smtp_down))
        restart("smtp", command, port["smtp"])

    def worker_killed(seconds):
        time.sleep(seconds / 2)
        command = kill("worker")
        time.sleep(1)
        restart("worker", command)
        time.sleep(seconds / 2 - 1)

    faults = {
        "app-server": ("one app server killed (SIGKILL app-1), started again", app_server),
        "redis": ("Redis killed, started again (empty)", redis_down),
        "search": ("search server frozen (SIGSTOP), resumed", search_frozen),
        "storage": ("object storage killed, started again, bucket put back", storage_down),
        "smtp": (f"SMTP server down for {args.smtp_down} s", smtp_down),
        "worker": ("worker killed (SIGKILL) under load, started again", worker_killed),
    }
    summary = []
    for name in args.only.split(","):
        title, breaker = faults[name]
        since = time.time() - 1
        load = Load(args.base_port, pages, searches, product, order)
        load.run(args.seconds, breaker)
        outcome = account(load, since)
        summary.append((name, *table(title, load, outcome, "")))
        subprocess.run(["redis-cli", "-p", str(port["redis"]), "flushdb"], capture_output=True, timeout=10, check=False)  # noqa: S603, S607
    say("\nfault        5xx  lost  twice  (same Message-ID)")
    for name, errors, lost, twice, resent in summary:
        say(f"{name:12} {errors:4} {lost:5} {twice:6}  ({resent})")
    say(load_average())
    return 0 if all(lost == 0 and twice == 0 for _n, _e, lost, twice, _r in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
