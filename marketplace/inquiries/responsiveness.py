"""Responsiveness, measured not claimed: each producer's share of buyers answered and median time
to the first reply, from its inquiry threads of the last 180 days, in working hours.

An inquiry counts from when the producer received it (a sourcing request: when the agency
routed it). It counts as answered at the producer's own first reply; a reply the agency wrote
on the producer's behalf does not count. An unanswered inquiry counts only once two working
days have passed, so a question that arrived this morning does not pull the share down.

The figures are stored in catalogue.Responsiveness, where the catalogue's pages, the API and
the search index read them: `refresh` runs when a thread changes (services), and
`manage.py measure_responsiveness` every night moves the window on. A row is saved only when
its figures change, since each save re-indexes the producer's products.
"""

import datetime
import statistics

from django.db.models import Min, Q
from django.utils import timezone

from catalogue.models import Responsiveness
from catalogue.models.responsiveness import WINDOW_DAYS
from catalogue.working_hours import DAY_MINUTES, minutes_between

from .models import Inquiry, InquiryMessage

# How long an inquiry may wait unanswered before it counts against the producer.
GRACE_MINUTES = 2 * DAY_MINUTES


def received_at(inquiry):
    """When the producers received it: a sourcing request when it was routed to them."""
    if inquiry.kind == Inquiry.Kind.SOURCING and inquiry.routed_at:
        return inquiry.routed_at
    return inquiry.created_at


def measure(producer_id, now=None):
    """(inquiries counted, answered, median working minutes to the first reply or None)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=WINDOW_DAYS)
    inquiries = (
        Inquiry.objects.filter(recipients=producer_id)
        .filter(
            Q(kind=Inquiry.Kind.PRODUCT, created_at__gte=since)
            | Q(kind=Inquiry.Kind.SOURCING, routed_at__gte=since, routed_at__lte=now)
        )
        .filter(created_at__lte=now)
        .annotate(
            first_reply=Min(
                "messages__created_at",
                filter=Q(
                    messages__author=InquiryMessage.Author.PRODUCER,
                    messages__producer=producer_id,
                    messages__created_at__lte=now,
                ),
            )
        )
        .only("kind", "created_at", "routed_at")
    )
    counted, waits = 0, []
    for inquiry in inquiries:
        received = received_at(inquiry)
        if inquiry.first_reply is not None:
            counted += 1
            waits.append(minutes_between(received, inquiry.first_reply))
        elif minutes_between(received, now) >= GRACE_MINUTES:
            counted += 1
    median = round(statistics.median(waits)) if waits else None
    return counted, len(waits), median


def refresh(producer_ids, now=None):
    """Measure these producers again and store what changed; returns the ids whose figures changed."""
    now = now or timezone.now()
    stored = Responsiveness.objects.in_bulk(list(producer_ids))
    changed = []
    for producer_id in sorted(set(producer_ids)):
        inquiries, answered, median = measure(producer_id, now)
        row = stored.get(producer_id)
        if row is not None and (row.inquiries, row.answered, row.median_reply_minutes) == (inquiries, answered, median):
            # Unchanged: no save, so no re-index of the producer's products.
            Responsiveness.objects.filter(pk=producer_id).update(computed_at=now)
            continue
        Responsiveness.objects.update_or_create(
            producer_id=producer_id,
            defaults={
                "inquiries": inquiries,
                "answered": answered,
                "median_reply_minutes": median,
                "computed_at": now,
            },
        )
        changed.append(producer_id)
    return changed


def refresh_all(now=None):
    """Every producer with an inquiry in the window, or figures stored from an earlier one."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=WINDOW_DAYS)
    recent = Inquiry.recipients.through.objects.filter(
        Q(inquiry__created_at__gte=since) | Q(inquiry__routed_at__gte=since)
    ).values_list("producer_id", flat=True)
    ids = set(recent) | set(Responsiveness.objects.values_list("producer_id", flat=True))
    return refresh(ids, now)
