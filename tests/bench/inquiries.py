"""make bench-inquiries: concurrent inquiry submissions through the real form, on PostgreSQL under gunicorn.

    python -m tests.bench.inquiries [--database URL] [--submissions 200] [--duplicates 20]

Recreates a scratch database (never the site's own), migrates it, seeds one visible product,
starts gunicorn on 127.0.0.1 with several workers (production settings, rate limits raised for
the run), and sends every submission at once: each one first GETs the product page like a
browser (CSRF cookie, one-time form token, fill-time stamp), waits the minimum fill time, then
POSTs the form. Some POSTs are exact copies of another (a double click). It then counts what the
database holds and prints stored, duplicates refused, 5xx and p50/p95. Every wait is bounded.
"""

import argparse
import contextlib
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/ocop_bench_inquiries"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60
READY_TIMEOUT = 60
MIN_FILL_SECONDS = 3


def environment(database, port):
    return {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-inquiries-not-secret",
        "WAGTAILADMIN_BASE_URL": f"http://{HOST}:{port}",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        # Production counts rate limits in Redis; a database number of the benchmark's own.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        # Every email is recorded in the outbox and marked sent; none leaves the machine.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "INQUIRY_RATE_PER_IP": "100000/h",
        "INQUIRY_RATE_PER_EMAIL": "100000/h",
        "INQUIRY_MIN_FILL_SECONDS": str(MIN_FILL_SECONDS),
        "LOG_LEVEL": "WARNING",
    }


def recreate(database):
    import psycopg
    from psycopg import sql

    parsed = urllib.parse.urlparse(database)
    name = parsed.path.lstrip("/")
    if not parsed.scheme.startswith("postgres") or not name.startswith("ocop_bench"):
        sys.exit(f"refusing to recreate {database}: the benchmark only drops databases called ocop_bench*")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600)  # noqa: S603


def seed():
    """One visible product of one producer with an account, and an agency account (in this process)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from catalogue.demo.loader import ensure_site
    from catalogue.models import Category, Certification, Producer, ProducerMembership, ProductPage, Province
    from marketplace.accounts.roles import setup_roles

    home, index = ensure_site()
    setup_roles(home, index)
    province = Province.objects.current().get(slug="da-nang")
    producer, _ = Producer.objects.get_or_create(
        slug="bench-nuoc-mam-nam-o",
        defaults={"name": "Công ty Nước mắm Nam Ô (bench)", "legal_form": "enterprise", "province": province},
    )
    product = ProductPage.objects.filter(slug="bench-nuoc-mam").first()
    if product is None:
        product = index.add_child(
            instance=ProductPage(
                title="Nước mắm Nam Ô (bench)",
                slug="bench-nuoc-mam",
                producer=producer,
                category=Category.objects.get(code="1.4.a"),
                province=province,
                moq_quantity=100,
                moq_unit="bottle",
            )
        )
        product.save_revision().publish()
        Certification.objects.create(
            product=product,
            producer=producer,
            decision_number="1/QĐ-BENCH",
            issuing_body="UBND thành phố Đà Nẵng",
            recognition_level="provincial",
            recognition_type="first",
            stars=4,
            signed_on=timezone.localdate() - datetime.timedelta(days=100),
        )
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username="bench@producer.example", defaults={"email": "bench@producer.example"}
    )
    ProducerMembership.objects.get_or_create(user=user, producer=producer)
    agency, _ = User.objects.get_or_create(username="bench@agency.example", defaults={"email": "bench@agency.example"})
    agency.groups.add(*setup_roles(home, index)[:1])
    return product


class Client:
    """One browser: its own connection and cookies."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            headers = dict(headers or {})
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location", ""), data.decode("utf-8", "replace")
        finally:
            conn.close()


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html) or re.search(rf'value="([^"]*)" name="{name}"', html)
    if match is None:
        raise RuntimeError(f"the form has no {name} field")
    return match.group(1)


def prepare(port, product_path, number):
    """GET the product page and the form its link leads to, as a browser would (site.js fetches
    the same address), and fill the form in: (client, POST body, action)."""
    client = Client(port)
    status, _location, html = client.request("GET", product_path, headers={"Accept-Language": "en"})
    if status != 200:
        raise RuntimeError(f"product page answered {status}")
    form_path = re.search(r'href="([^"]+)"[^>]*data-inquiry-form', html).group(1)
    status, _location, html = client.request("GET", form_path, headers={"Accept-Language": "en"})
    if status != 200:
        raise RuntimeError(f"inquiry form answered {status}")
    action = re.search(r'<form method="post" action="([^"]+)" class="inquiry-form"', html).group(1)
    fields = {
        "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
        "started": hidden(html, "started"),
        "form_token": hidden(html, "form_token"),
        "name": f"Bench Buyer {number}",
        "company": "Bench Import GmbH",
        "email": f"buyer{number}@bench.example",
        "phone": "+49 30 901820",
        "country": "DE",
        "quantity": str(100 + number),
        "unit": "bottle",
        "incoterm": "FOB",
        "destination": "Hamburg",
        "message": f"Bench inquiry number {number}: please quote.",
        "consent": "on",
        "website": "",
    }
    return client, urllib.parse.urlencode(fields), action, fields["form_token"]


def submit(client, body, action, port):
    started = time.perf_counter()
    status, location, _html = client.request(
        "POST",
        action,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://{HOST}:{port}",
            "Referer": f"http://{HOST}:{port}{action}",
            "Accept-Language": "en",
        },
    )
    return status, location, time.perf_counter() - started


def wait_ready(port, process):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped before it answered")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.25)
    sys.exit(f"gunicorn did not answer within {READY_TIMEOUT} s")


@contextlib.contextmanager
def gunicorn(port, workers, env, app="config.wsgi"):
    """gunicorn serving `app` on 127.0.0.1:`port` for the `with` block, then stopped (killed if it hangs)."""
    process = subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn, fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_ready(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_INQUIRIES_URL", DEFAULT_DATABASE))
    parser.add_argument("--submissions", type=int, default=200, help="POSTs sent at once, duplicates included")
    parser.add_argument("--duplicates", type=int, default=20, help="how many of them repeat another exactly")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    if not 0 <= args.duplicates < args.submissions <= 1000:
        sys.exit("need 0 <= duplicates < submissions <= 1000")

    env = environment(args.database, args.port)
    os.environ.update(env)
    recreate(args.database)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    product = seed()
    product_path = urllib.parse.urlparse(product.full_url or "").path or f"/products/{product.slug}/"
    from django.db import connection

    connection.close()

    with gunicorn(args.port, args.workers, env):
        distinct = args.submissions - args.duplicates
        with ThreadPoolExecutor(max_workers=32) as pool:
            prepared = list(pool.map(lambda n: prepare(args.port, product_path, n), range(distinct)))
        # Exact copies (same cookies, token and body), as a double click sends them.
        sends = prepared + [prepared[n % distinct] for n in range(args.duplicates)]
        time.sleep(MIN_FILL_SECONDS + 0.5)  # a person's minimum time to fill the form
        barrier = threading.Barrier(len(sends), timeout=120)

        def fire(item):
            client, body, action, _token = item
            barrier.wait()
            return submit(client, body, action, args.port)

        wall = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(sends)) as pool:
            results = list(pool.map(fire, sends))
        wall = time.perf_counter() - wall

    from django.core.management import call_command

    from marketplace.inquiries.models import Inquiry, InquiryNotification

    tokens = {token for _c, _b, _a, token in prepared}
    stored = Inquiry.objects.filter(form_token__in=tokens)
    stored_tokens = [str(t) for t in stored.values_list("form_token", flat=True)]
    redirects = sum(1 for status, location, _t in results if status == 302 and "/inquiries/sent/" in location)
    server_errors = sum(1 for status, _l, _t in results if status >= 500)
    other = sum(1 for status, _l, _t in results if status != 302 and status < 500)
    outbox = InquiryNotification.objects.filter(inquiry__in=stored).count()
    call_command("send_pending_notifications")  # what cron runs every minute; emails go to a dummy backend
    sent = InquiryNotification.objects.filter(inquiry__in=stored, sent_at__isnull=False).count()
    latencies = [t * 1000 for _s, _l, t in results]
    lost = len(tokens - set(stored_tokens))
    twice = len(stored_tokens) - len(set(stored_tokens))

    print(
        f"bench-inquiries: {len(sends)} concurrent POSTs ({distinct} distinct, {args.duplicates} exact duplicates) "
        f"to gunicorn with {args.workers} workers on PostgreSQL, {wall:.2f} s wall ({len(sends) / wall:.0f}/s)"
    )
    print(f"  stored:              {len(stored_tokens)} of {distinct} distinct (lost {lost}, stored twice {twice})")
    print(f"  duplicates refused:  {len(sends) - len(stored_tokens)} (racing the first: 409 already sent)")
    print(f"  answers:             {redirects} redirects to a confirmation, {server_errors} 5xx, {other} other")
    print(
        f"  latency:             p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
        f"max {max(latencies):.0f} ms"
    )
    print(
        f"  emails:              {outbox} outbox rows ({outbox / max(len(stored_tokens), 1):.1f} per inquiry), "
        f"{sent} sent after send_pending_notifications"
    )
    ok = lost == 0 and twice == 0 and server_errors == 0 and len(stored_tokens) == distinct
    print(
        "  result:              "
        + ("OK: every distinct inquiry stored exactly once, none lost, no 5xx" if ok else "FAILED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
