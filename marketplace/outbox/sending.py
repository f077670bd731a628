"""How every outbox e-mail goes out: one attempt, back-off, one task, one `send_due`, the resend.

Rows are written in the transaction of the event they announce; `deliver` locks a row, sends
it and records the attempt in one transaction, so nothing is lost and nothing is sent twice.
The first attempt is the background task `send_outbox_email`, enqueued after the commit;
failed attempts wait with back-off for `manage.py send_pending_notifications` (every minute).
Each kind registers how to build its message (`register`), from its wing's `delivery` module,
which `MarketplaceConfig.ready()` imports so that a worker process knows every kind.
"""

import datetime
import logging
import time
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from django_tasks import task

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Outbox:
    """One kind of outbox e-mail: its table, how to build one row's message, what to call it in logs."""

    model: Any
    build: Any  # row → EmailMessage, called in the recipient's language
    label: str  # "Inquiry emails": the retry command's report and the error log
    related: tuple = field(default=())  # select_related paths the builder reads

    @property
    def key(self):
        return self.model._meta.label_lower


_registry = {}


def register(model, build, label, related=()):
    outbox = Outbox(model=model, build=build, label=label, related=tuple(related))
    _registry[outbox.key] = outbox
    return outbox


def registered():
    return list(_registry.values())


def outbox_for(row_or_key):
    key = row_or_key if isinstance(row_or_key, str) else row_or_key._meta.label_lower
    return _registry[key]


def message_id(row):
    """One Message-ID per outbox row, the same on every attempt.

    A worker killed after the SMTP server accepted a message but before its row was marked sent
    leaves the row due, and the retry sends it again: no transaction spans both. With the same
    Message-ID, the second copy is recognisably the first (mail clients show it once)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{row._meta.label_lower}.{row.pk}@{domain}>"


def message(row, subject, text, html=None, attachment=None):
    """The e-mail a row sends: text, with an HTML alternative and an attachment when given."""
    email = EmailMultiAlternatives(subject, text, None, [row.recipient], headers={"Message-ID": message_id(row)})
    if html:
        email.attach_alternative(html, "text/html")
    if attachment:
        email.attach(*attachment)
    return email


def backoff(attempts):
    """1, 2, 4, 8 … minutes after the attempt that failed."""
    return datetime.timedelta(minutes=2 ** max(attempts - 1, 0))


def attempt(row, build_email, now, what):
    """Send one locked row once and record the outcome on it; returns its state."""
    row.attempts += 1
    try:
        with translation.override(row.language):
            email = build_email(row)
        email.send()
    except Exception as error:  # any mail failure: recorded on the row, retried later
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            row.gave_up_at = now
            logger.error("%s %s failed %s times: %s", what, row.pk, row.attempts, error)
        else:
            row.next_attempt_at = now + backoff(row.attempts)
    else:
        row.sent_at = now
        row.last_error = ""
    row.save(update_fields=["attempts", "last_error", "next_attempt_at", "sent_at", "gave_up_at"])
    return row.state


def deliver(key, pk, now=None):
    """Try one row once; returns its state afterwards ("sent", "pending", "failed" or "gone")."""
    outbox = outbox_for(key)
    now = now or timezone.now()
    with transaction.atomic():
        # The row lock (not the joined rows': an outer join refuses FOR UPDATE) makes a second
        # worker wait, then see it sent.
        row = outbox.model.objects.select_for_update(of=("self",)).select_related(*outbox.related).filter(pk=pk).first()
        if row is None or row.sent_at or row.gave_up_at:
            return row.state if row else "gone"
        return attempt(row, outbox.build, now, outbox.label)


@task()
def send_outbox_email(key, pk):
    """The first attempt of one row, in a worker after the event's commit."""
    return deliver(key, pk)


def enqueue(rows):
    """First attempt of each row as a background task; a queue that refuses is retried by send_due."""
    for row in rows:
        try:
            send_outbox_email.enqueue(row._meta.label_lower, row.pk)
        except Exception:  # the row stays due; send_pending_notifications picks it up
            logger.exception("Could not enqueue %s %s", row._meta.label_lower, row.pk)


def due(model, now=None):
    now = now or timezone.now()
    return model.objects.filter(sent_at__isnull=True, gave_up_at__isnull=True, next_attempt_at__lte=now).exclude(
        recipient=""
    )


def send_due(now=None, batch=500, max_seconds=50):
    """What the every-minute command runs: each due row of every kind once, oldest first, in
    batches until none is due or the minute is nearly over (the next run carries on).
    Returns {label: {"sent": n, "pending": n, "failed": n}} in registration order."""
    deadline = time.monotonic() + max_seconds
    report = {}
    for outbox in registered():
        states = report[outbox.label] = {"sent": 0, "pending": 0, "failed": 0}
        tried = set()
        while time.monotonic() < deadline:
            pks = [
                pk
                for pk in due(outbox.model, now)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)[: batch + len(tried)]
                if pk not in tried
            ][:batch]
            if not pks:
                break
            for pk in pks:
                tried.add(pk)
                state = deliver(outbox.key, pk, now)
                states[state] = states.get(state, 0) + 1
    return report


def totals(report):
    """One {"sent", "pending", "failed"} count over every kind of a `send_due` report."""
    summed = {"sent": 0, "pending": 0, "failed": 0}
    for states in report.values():
        for state, count in states.items():
            summed[state] = summed.get(state, 0) + count
    return summed


def resend(row):
    """The agency's 'resend' on a failed row: a fresh set of attempts."""
    type(row).objects.filter(pk=row.pk, sent_at__isnull=True).update(
        gave_up_at=None, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    enqueue([row])
