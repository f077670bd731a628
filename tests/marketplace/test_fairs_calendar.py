"""The iCalendar feed of all fairs and each fair's .ics, parsed back with the icalendar library."""

import datetime

import icalendar
import pytest

from django.urls import reverse

from marketplace.fairs.calendar import meeting_calendar
from marketplace.fairs.models import FAIR_TZ, FairLivestream, MeetingRequest
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(site_tree):
    return fair_index(site_tree[0])


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_feed_lists_every_fair_with_stable_uids_in_vietnam_time(client, index):
    hanoi = make_fair(index, slug="ha-noi", title="Hội chợ Hà Nội", length=3)
    cantho = make_fair(index, slug="can-tho", title="Hội chợ Cần Thơ", days_from_today=-50, province="can-tho")
    FairLivestream.objects.create(
        page=hanoi,
        title="Livestream 5 sao",
        starts_at=datetime.datetime.combine(hanoi.starts_on, datetime.time(19, 0), tzinfo=FAIR_TZ),
        ends_at=datetime.datetime.combine(hanoi.starts_on, datetime.time(20, 30), tzinfo=FAIR_TZ),
        url="https://live.example.vn/5-sao",
    )
    calendar, found = events(client.get(reverse("fairs:calendar")))
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert set(found) == {
        f"fair-{hanoi.pk}@testserver",
        f"fair-{cantho.pk}@testserver",
        f"fair-{hanoi.pk}-livestream-{hanoi.livestreams.get().pk}@testserver",
    }
    event = found[f"fair-{hanoi.pk}@testserver"]
    start = event.decoded("DTSTART")
    assert start == datetime.datetime.combine(hanoi.starts_on, datetime.time(8, 0), tzinfo=FAIR_TZ)
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event.decoded("DTEND").time() == datetime.time(12, 0)
    assert event["RRULE"]["FREQ"] == ["DAILY"] and event["RRULE"]["COUNT"] == [3]
    assert str(event["SUMMARY"]) == "Hội chợ Hà Nội"
    assert "Cung Văn hóa Hữu nghị" in str(event["LOCATION"]) and "Hà Nội" in str(event["LOCATION"])
    assert str(event["URL"]) == f"http://testserver{hanoi.url}"
    live = found[f"fair-{hanoi.pk}-livestream-{hanoi.livestreams.get().pk}@testserver"]
    assert live.decoded("DTSTART").astimezone(FAIR_TZ).time() == datetime.time(19, 0)

    # Moving the fair keeps its UID, so a subscribed calendar updates the event in place.
    hanoi.starts_on += datetime.timedelta(days=7)
    hanoi.ends_on += datetime.timedelta(days=7)
    hanoi.save_revision().publish()
    _calendar, again = events(client.get(reverse("fairs:calendar")))
    assert set(again) == set(found)
    assert again[f"fair-{hanoi.pk}@testserver"].decoded("DTSTART").date() == hanoi.starts_on


def test_one_fair_has_its_own_ics_and_the_page_links_to_it(client, index):
    fair = make_fair(index, length=1)
    url = reverse("fairs:fair-calendar", args=[fair.pk])
    assert f'href="{url}"' in client.get(fair.url).content.decode()
    _calendar, found = events(client.get(url))
    event = found[f"fair-{fair.pk}@testserver"]
    assert "RRULE" not in event  # a one-day fair is one event


def test_unpublished_or_unknown_fair_has_no_ics(client, index):
    fair = make_fair(index)
    fair.unpublish()
    assert client.get(reverse("fairs:fair-calendar", args=[fair.pk])).status_code == 404
    assert client.get(reverse("fairs:fair-calendar", args=[999999])).status_code == 404
    _calendar, found = events(client.get(reverse("fairs:calendar")))
    assert found == {}


def test_meeting_calendar_is_the_slot_with_booth_and_venue(index, page_a):
    fair = make_fair(index)
    exhibitor = exhibit(fair, page_a, booth="A05")
    start, end = exhibitor.open_slots()[2]
    meeting = MeetingRequest.objects.create(
        exhibitor=exhibitor,
        starts_at=start,
        ends_at=end,
        name="Sophie",
        company="Maison Laurent",
        email="s@example.fr",
        country="FR",
        consent_at=start,
        status=MeetingRequest.Status.ACCEPTED,
    )
    parsed = icalendar.Calendar.from_ical(meeting_calendar(meeting).to_ical())
    (event,) = parsed.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.pk}@testserver"
    assert event.decoded("DTSTART") == start and event.decoded("DTEND") == end
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert "A05" in str(event["LOCATION"]) and "Cung Văn hóa Hữu nghị" in str(event["LOCATION"])
    assert "Maison Laurent" in str(event["SUMMARY"])


def test_the_organiser_is_named_with_the_sites_address(client, index, settings):
    settings.DEFAULT_FROM_EMAIL = "Xúc tiến OCOP <fairs@ocop.example.vn>"
    fair = make_fair(index)
    _calendar, found = events(client.get(reverse("fairs:fair-calendar", args=[fair.pk])))
    organizer = found[f"fair-{fair.pk}@testserver"]["ORGANIZER"]
    assert str(organizer) == "mailto:fairs@ocop.example.vn" and organizer.params["CN"] == fair.organiser
