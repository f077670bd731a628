"""A db_worker killed (SIGKILL) in the middle of sending an e-mail: the e-mail is sent once
afterwards, and no e-mail is sent twice.

The worker is a real `manage.py db_worker` process with production settings on the test
database; the SMTP server holds its first message at RCPT (tests/faults/slow_smtp.py), so the
kill lands mid-send with the outbox row locked. PostgreSQL rolls the worker's transaction back:
the row is still due. django-tasks-db leaves the killed task marked running (it never claims a
task twice), so the row goes out through `send_pending_notifications`, the every-minute job;
the other queued tasks run on a new worker and find their rows already sent or send them once.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from django.core.management import call_command
from django.test import Client

from marketplace.inquiries.models import InquiryNotification
from tests.faults.conftest import Server, free_port, running
from tests.marketplace.inquiry_helpers import product_form, product_url
from tests.marketplace.test_inquiries_behind_proxy import _database_url

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30  # seconds for the worker to reach the SMTP server


def smtp_command(port, maildir, handler):
    return [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", handler, str(maildir)]


# Over 10 s: five real processes start (two SMTP servers, three db_workers), about 75 s at load 12.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(page_a, user_a, agency, settings, tmp_path):
    port, maildir, marker = free_port(), tmp_path / "mail", tmp_path / "rcpt-reached"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    assert Client(headers={"accept-language": "en"}).post(product_url(page_a), product_form()).status_code == 302
    rows = list(InquiryNotification.objects.exclude(recipient=""))
    assert len(rows) >= 2 and DBTaskResult.objects.ready().count() == len(rows)

    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "WAGTAILADMIN_BASE_URL": "https://ocop.example.vn",
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",  # nothing there: the worker needs no cache
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "FAULTS_SMTP_MARKER": str(marker),
        "LOG_LEVEL": "ERROR",
    }
    slow = Server(smtp_command(port, maildir, "tests.faults.slow_smtp.SlowMailbox"), port, env).start()
    worker = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + WAIT
        while not marker.exists():
            assert worker.poll() is None, "the worker stopped by itself"
            assert time.monotonic() < deadline, f"the worker did not reach the SMTP server within {WAIT} s"
            time.sleep(0.1)
        worker.send_signal(signal.SIGKILL)  # mid-send: the row locked, the message not yet accepted
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        slow.stop()
    assert DBTaskResult.objects.running().count() == 1
    assert not (maildir / "new").exists() or not any((maildir / "new").iterdir())
    assert InquiryNotification.objects.filter(sent_at__isnull=True).count() == len(rows)

    with running(smtp_command(port, maildir, "aiosmtpd.handlers.Mailbox"), port):
        # The tasks still queued run on a new worker; the killed task's row goes out with the
        # every-minute job. Both run twice: nothing more is sent.
        for _ in range(2):
            subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
                [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
                cwd=ROOT, env=env, check=True, timeout=60, capture_output=True,
            )  # fmt: skip
            call_command("send_pending_notifications")
        delivered = sorted((maildir / "new").iterdir())
    assert len(delivered) == len(rows)
    assert InquiryNotification.objects.filter(sent_at__isnull=False).count() == len(rows)
