"""Folding raw searches into daily figures, and deleting them after RAW_DAYS.

Each raw search is folded once (its `folded` flag is set in the same transaction as the
figures it adds to), so the job can run as often as wanted and resume after a missed night.
"""

import datetime
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import RAW_DAYS, AppearanceDay, SearchDay, SearchEvent

BATCH = 5000


def _add(model, key, field, amount):
    updated = model.objects.filter(**key).update(**{field: F(field) + amount})
    if not updated:
        model.objects.create(**key, **{field: amount})


def _fold_batch(rows):
    searches, zero, shown = Counter(), Counter(), Counter()
    for event in rows:
        key = (timezone.localdate(event.created_at), event.language, event.query, event.filters)
        searches[key] += 1
        if event.results == 0:
            zero[key] += 1
        for product_id in event.product_ids or []:
            shown[(key[0], int(product_id), event.language)] += 1
    for (day, language, query, filters), count in searches.items():
        key = {"day": day, "language": language, "query": query, "filters": filters}
        updated = SearchDay.objects.filter(**key).update(
            searches=F("searches") + count, zero_results=F("zero_results") + zero[(day, language, query, filters)]
        )
        if not updated:
            SearchDay.objects.create(**key, searches=count, zero_results=zero[(day, language, query, filters)])
    for (day, product_id, language), count in shown.items():
        _add(AppearanceDay, {"day": day, "product_id": product_id, "language": language}, "appearances", count)


def fold(now=None):
    """Fold every raw search not yet folded; delete those older than RAW_DAYS. Returns (folded, deleted)."""
    now = now or timezone.now()
    folded = 0
    while True:
        with transaction.atomic():
            rows = list(SearchEvent.objects.select_for_update().filter(folded=False).order_by("pk")[:BATCH])
            if not rows:
                break
            _fold_batch(rows)
            SearchEvent.objects.filter(pk__in=[row.pk for row in rows]).update(folded=True)
            folded += len(rows)
    cutoff = now - datetime.timedelta(days=RAW_DAYS)
    deleted, _by_model = SearchEvent.objects.filter(folded=True, created_at__lt=cutoff).delete()
    return folded, deleted
