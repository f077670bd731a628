"""Buyer events the demand figures count, registered by the wings that store them.

Inquiries, sample orders and fair meetings live in wings the demand wing must not import; each
of those wings registers one function here (`register`) that lists its events between two
days, and demand reads them all through `between`. An event carries no person: a day, a
stage, the product and its producer, province and product group, and the buyer's country.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The stages, in the order a buyer goes through them; the labels name them in figures.
STAGES = {
    "inquiry": _("Inquiries"),
    "reply": _("Replied"),
    "sample": _("Sample orders"),
    "payment": _("Paid"),
    "meeting_requested": _("Meetings requested"),
    "meeting_accepted": _("Meetings accepted"),
    "meeting_held": _("Meetings held"),
}


@dataclass(frozen=True)
class Event:
    day: object  # datetime.date, Vietnam time
    stage: str  # a key of STAGES
    product_id: int | None = None
    producer_id: int | None = None
    province_id: int | None = None
    category_code: str = ""  # e.g. "1.4.a"; the group is "1", the sub-group "1.4"
    country: str = ""  # ISO 3166 alpha-2 of the buyer
    fair: str = ""  # meetings: the fair's title

    @property
    def group(self):
        return self.category_code.split(".")[0] if self.category_code else ""

    @property
    def subgroup(self):
        return ".".join(self.category_code.split(".")[:2]) if self.category_code else ""


_sources = {}


def register(name, source):
    """`source(start, end, producer_ids=None)` yields the Events of days start..end (inclusive);
    with producer_ids, only those producers' events."""
    _sources[name] = source


def between(start, end, producer_ids=None):
    events = []
    for source in _sources.values():
        events.extend(source(start, end, producer_ids=producer_ids))
    return events


def bounds(start, end):
    """Aware datetimes from the start of day `start` to the start of the day after `end` (site time)."""
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time(), zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
    return first, after


def local_day(moment):
    return timezone.localdate(moment)
