"""The fairs' demand events (marketplace.shared.events): meetings requested, accepted and held.

A meeting is with an exhibitor (a producer at one fair), not about one product: its events name
the producer, the producer's province and the fair. "Held" is an accepted meeting whose slot
has ended.
"""

from django.db.models import Q
from django.utils import timezone

from ..shared import events
from .models import MeetingRequest


def meeting_events(start, end, producer_ids=None):
    first, after = events.bounds(start, end)
    now = timezone.now()
    meetings = MeetingRequest.objects.filter(
        Q(created_at__gte=first, created_at__lt=after)
        | Q(decided_at__gte=first, decided_at__lt=after)
        | Q(starts_at__gte=first, starts_at__lt=after)
    )
    if producer_ids is not None:
        meetings = meetings.filter(exhibitor__producer_id__in=producer_ids)
    rows = meetings.values_list(
        "created_at",
        "decided_at",
        "starts_at",
        "ends_at",
        "status",
        "exhibitor__producer_id",
        "exhibitor__producer__province_id",
        "exhibitor__fair__title",
        "country",
    )
    for created_at, decided_at, starts_at, ends_at, status, producer_id, province, fair, country in rows:
        common = {"producer_id": producer_id, "province_id": province, "fair": fair, "country": str(country or "")}
        if first <= created_at < after:
            yield events.Event(day=events.local_day(created_at), stage="meeting_requested", **common)
        accepted = status == MeetingRequest.Status.ACCEPTED
        if accepted and decided_at and first <= decided_at < after:
            yield events.Event(day=events.local_day(decided_at), stage="meeting_accepted", **common)
        if accepted and ends_at <= now and first <= starts_at < after:
            yield events.Event(day=events.local_day(starts_at), stage="meeting_held", **common)


events.register("fairs", meeting_events)
