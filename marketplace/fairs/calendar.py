"""iCalendar (RFC 5545) for fairs and accepted meetings, built with the `icalendar` package.

UIDs name the row, not the time, so a calendar that subscribed updates an event in
place when the agency moves a fair. Times carry Asia/Ho_Chi_Minh with its VTIMEZONE.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vRecur

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext

from .models import FAIR_TZ

PRODID = "-//OCOP Marketplace//Trade fairs//EN"


def _domain():
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "ocop.example.vn"


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(FAIR_TZ))
    return calendar


def _location(fair):
    parts = [fair.venue, fair.venue_address, fair.province.name if fair.province_id else ""]
    return ", ".join(p for p in parts if p)


def fair_events(fair):
    """The fair as one event a day (a daily rule over its opening hours), and each of its livestreams."""
    stamp = timezone.now()
    url = _absolute(fair.url or "/")
    event = Event()
    event.add("uid", f"fair-{fair.pk}@{_domain()}")
    event.add("dtstamp", stamp)
    event.add("last-modified", fair.last_published_at or stamp)
    event.add("summary", fair.localized_title)
    event.add("dtstart", fair.starts_at)
    event.add("dtend", fair.local(fair.starts_on, fair.closes_at))
    days = len(fair.days)
    if days > 1:
        event.add("rrule", vRecur(freq="daily", count=days))
    # Paragraph ends become line breaks, so the plain text keeps the description's sentences apart.
    description = strip_tags((fair.description or "").replace("</p>", "</p>\n")).strip()
    lines = [fair.organiser, description, fair.livestream_url, url]
    event.add("description", "\n\n".join(line for line in lines if line))
    if _location(fair):
        event.add("location", _location(fair))
    event.add("url", url)
    event.add(
        "organizer",
        f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}",
        parameters={"cn": fair.organiser},
    )
    events = [event]
    for stream in fair.livestreams.all():
        live = Event()
        live.add("uid", f"fair-{fair.pk}-livestream-{stream.pk}@{_domain()}")
        live.add("dtstamp", stamp)
        live.add("summary", f"{fair.localized_title}: {stream.title}")
        live.add("dtstart", timezone.localtime(stream.starts_at, FAIR_TZ))
        live.add("dtend", timezone.localtime(stream.ends_at, FAIR_TZ))
        if stream.link:
            live.add("location", stream.link)
            live.add("url", stream.link)
        events.append(live)
    return events


def fairs_calendar(fairs, name):
    calendar = new_calendar(name)
    for fair in fairs:
        for event in fair_events(fair):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def meeting_calendar(meeting):
    """The .ics attached to the emails once a meeting is accepted."""
    exhibitor = meeting.exhibitor
    fair = exhibitor.fair
    calendar = new_calendar(fair.localized_title)
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("summary", f"{exhibitor.producer.name} · {meeting.company or meeting.name} ({fair.localized_title})")
    event.add("dtstart", meeting.local_start)
    event.add("dtend", meeting.local_end)
    where = [
        gettext("Booth %(booth)s") % {"booth": exhibitor.booth} if exhibitor.booth else "",
        exhibitor.zone.name if exhibitor.zone_id else "",
        _location(fair),
    ]
    event.add("location", ", ".join(p for p in where if p))
    event.add(
        "description", "\n\n".join(p for p in [meeting.message, meeting.producer_note, _absolute(fair.url or "/")] if p)
    )
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar
