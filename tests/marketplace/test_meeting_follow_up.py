"""The reply-time promise for meeting requests, on a frozen clock: a reminder after two working days
neither accepted nor declined, escalation to the agency after four (across a weekend and Vietnam's
30 April and 1 May holidays), the agency answering on the exhibitor's behalf or reassigning to a
matching exhibitor of the fair, every step logged once."""

import datetime
import threading

import pytest
import time_machine

from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.urls import reverse

from catalogue.models import Category
from catalogue.working_hours import TIMEZONE
from marketplace.fairs import follow_up
from marketplace.fairs.models import MeetingFollowUp, MeetingNotification, MeetingRequest
from tests.factories import ProducerFactory, certified_product, producer_user
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair, meeting_form

pytestmark = pytest.mark.django_db
Step = MeetingFollowUp.Step
Kind = MeetingNotification.Kind


def at(*args):
    return datetime.datetime(*args, tzinfo=TIMEZONE)


# Wednesday 29 April 2026, 9:00: then 30 April and 1 May (public holidays), a weekend, and Monday.
RECEIVED = at(2026, 4, 29, 9)


@pytest.fixture
def clock():
    with time_machine.travel(RECEIVED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def fair(clock, site_tree):
    return make_fair(fair_index(site_tree[0]), days_from_today=21)


@pytest.fixture
def stand(fair, page_a):
    return exhibit(fair, page_a, booth="A01")


@pytest.fixture
def matching_stand(fair, product_index, page_a):
    """Another exhibitor of the fair whose fish sauce is in the same product group as A's."""
    producer = ProducerFactory(name="Công ty Nước mắm Phan Thiết", slug="nuoc-mam-phan-thiet")
    producer_user(producer, email="c@phanthiet.vn")
    page = certified_product(
        product_index,
        producer=producer,
        title="Nước mắm Phan Thiết",
        slug="nuoc-mam-phan-thiet",
        category=page_a.category,
    )
    return exhibit(fair, page, booth="A02")


@pytest.fixture
def other_stand(fair, product_index, page_b):
    """An exhibitor of tea: no match for a fish-sauce meeting."""
    tea = Category.objects.get(code="1.5.a")
    page = certified_product(
        product_index, producer=page_b.producer, title="Chè Tân Cương", slug="che-tc", category=tea
    )
    return exhibit(fair, page, booth="B01", products=[page])


@pytest.fixture
def meeting(buyer, stand, user_a, agency, clock):
    response = buyer.post(reverse("fairs:meeting-request", args=[stand.pk]), meeting_form(stand))
    assert response.status_code == 302
    mail.outbox.clear()
    return MeetingRequest.objects.get()


def escalate(clock):
    clock.move_to(at(2026, 5, 7, 9))
    call_command("follow_up_requests")


def subjects(to):
    return [m.subject for m in mail.outbox if to in m.to]


def test_reminder_after_two_working_days_escalation_after_four_across_holidays_each_once(
    meeting, clock, user_a, agency, buyer, client
):
    # Monday 4 May 17:00: the holidays and the weekend do not count, 15 working hours so far.
    clock.move_to(at(2026, 5, 4, 17))
    assert follow_up.run() == (0, 0)
    # Tuesday 5 May 9:00: two working days; the exhibitor is reminded, once however often the job runs.
    clock.move_to(at(2026, 5, 5, 9))
    call_command("follow_up_requests")
    call_command("follow_up_requests")
    assert follow_up.run() == (0, 0)
    # In the exhibitor's admin language (Vietnamese by default).
    assert subjects(user_a.email) == [
        f"[OCOP Marketplace] Nhắc nhở: yêu cầu lịch gặp {meeting.reference} đang chờ bạn trả lời"
    ]
    # Thursday 7 May 8:59: not yet four working days.
    clock.move_to(at(2026, 5, 7, 8, 59))
    assert follow_up.run() == (0, 0)
    escalate(clock)
    call_command("follow_up_requests")
    assert len(subjects(agency.email)) == 1 and meeting.reference in subjects(agency.email)[0]
    rows = meeting.notifications.filter(kind__in=[Kind.PRODUCER_REMINDER, Kind.AGENCY_ESCALATION])
    assert sorted(rows.values_list("kind", "recipient")) == [
        (Kind.AGENCY_ESCALATION, agency.email),
        (Kind.PRODUCER_REMINDER, user_a.email),
    ]
    assert len(subjects(user_a.email)) == 1
    meeting.refresh_from_db()
    assert meeting.escalated_at == at(2026, 5, 7, 9)
    log = list(meeting.follow_ups.values_list("step", "user", "created_at"))
    assert log == [(Step.REMINDED, None, at(2026, 5, 5, 9)), (Step.ESCALATED, None, at(2026, 5, 7, 9))]

    # The buyer's private page says where it stands; the agency's dashboard lists it.
    page = buyer.get(reverse("fairs:meeting-sent", args=[meeting.access_token])).content.decode()
    assert "the agency is following up" in page
    client.force_login(agency)
    assert meeting.reference in client.get(reverse("wagtailadmin_home")).content.decode()
    listing = client.get(reverse("marketplace_fair_meetings") + "?status=escalated").content.decode()
    assert meeting.reference in listing


def test_a_step_is_written_once_per_wait_even_when_two_jobs_race(meeting):
    """What concurrent runs rely on: the database refuses a second reminder for the same wait."""
    MeetingFollowUp.objects.create(meeting=meeting, step=Step.REMINDED, waiting_since=RECEIVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFollowUp.objects.create(meeting=meeting, step=Step.REMINDED, waiting_since=RECEIVED)
    # A run that finds the step taken sends nothing.
    assert follow_up.PROMISE.take(meeting, Step.REMINDED, RECEIVED, at(2026, 5, 5, 9)) is False
    assert not MeetingNotification.objects.filter(kind=Kind.PRODUCER_REMINDER).exists()


def test_an_answered_or_past_request_is_never_chased(meeting, clock, user_a, client):
    client.force_login(user_a)
    client.post(reverse("marketplace_meeting", args=[meeting.pk]), {"decision": "decline", "note": ""})
    meeting.refresh_from_db()
    assert meeting.status == "declined" and not meeting.answered_by_agency
    escalate(clock)
    assert not meeting.follow_ups.exists()
    # A waiting request whose slot has begun is no longer chased either.
    MeetingRequest.objects.filter(pk=meeting.pk).update(status="requested")
    clock.move_to(meeting.starts_at + datetime.timedelta(minutes=1))
    assert follow_up.run() == (0, 0)


def test_agency_answers_on_the_exhibitors_behalf(meeting, clock, client, buyer, agency, producer_a):
    escalate(clock)
    mail.outbox.clear()
    client.force_login(agency)
    detail = reverse("marketplace_meeting", args=[meeting.pk])
    assert f"on behalf of {producer_a.name}" in client.get(detail).content.decode()
    client.post(detail, {"decision": "accept", "note": "The director will meet you at booth A01."})
    meeting.refresh_from_db()
    assert meeting.status == "accepted" and meeting.answered_by_agency and meeting.decided_by == agency
    assert meeting.escalated_at is None
    step = meeting.follow_ups.get(step=Step.AGENCY_ANSWERED)
    assert step.user == agency and step.created_at == at(2026, 5, 7, 9)
    to_buyer = next(m for m in mail.outbox if "sophie@laurent.example.fr" in m.to)
    assert f"Answered by: OCOP Marketplace, on behalf of {producer_a.name}" in to_buyer.body
    page = buyer.get(reverse("fairs:meeting-sent", args=[meeting.access_token])).content.decode()
    assert "the agency confirmed it on the exhibitor" in page


def test_only_the_agency_reassigns_and_answers_on_behalf(meeting, clock, client, user_a, user_b, matching_stand):
    escalate(clock)
    reassign = reverse("marketplace_meeting_reassign", args=[meeting.pk])
    client.force_login(user_a)  # the exhibitor itself is refused (Wagtail sends it back to the dashboard)
    for response in (client.get(reassign), client.post(reassign, {"exhibitor": matching_stand.pk})):
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    client.force_login(user_b)  # another producer does not even see the request
    assert client.get(reverse("marketplace_meeting", args=[meeting.pk])).status_code == 404
    assert client.post(reassign, {"exhibitor": matching_stand.pk}).status_code == 404
    meeting.refresh_from_db()
    assert meeting.exhibitor_id != matching_stand.pk and not meeting.follow_ups.filter(step=Step.REASSIGNED).exists()


def test_agency_reassigns_to_a_matching_exhibitor_and_a_new_wait_starts(
    meeting, clock, client, agency, buyer, stand, matching_stand, other_stand
):
    escalate(clock)
    client.force_login(agency)
    url = reverse("marketplace_meeting_reassign", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Công ty Nước mắm Phan Thiết" in page and "Chè Tân Cương" not in page
    # Not a match, not of the fair, not a number: refused with a message, nothing changes.
    for value in (other_stand.pk, "abc", 10**12):
        response = client.post(url, {"exhibitor": value})
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.exhibitor == stand
    mail.outbox.clear()
    client.post(url, {"exhibitor": matching_stand.pk})
    meeting.refresh_from_db()
    assert meeting.exhibitor == matching_stand and meeting.escalated_at is None and meeting.status == "requested"
    step = meeting.follow_ups.get(step=Step.REASSIGNED)
    assert step.user == agency and step.note == "Công ty Nước mắm Phan Thiết"
    assert "passed to Công ty Nước mắm Phan Thiết" in subjects("sophie@laurent.example.fr")[0]
    assert subjects("c@phanthiet.vn")  # the new exhibitor gets it as a new request
    # The new exhibitor's wait starts at the reassignment: Thursday 9:00 + two working days = Monday 9:00.
    clock.move_to(at(2026, 5, 8, 17))
    assert follow_up.run() == (0, 0)
    mail.outbox.clear()
    clock.move_to(at(2026, 5, 11, 9))
    assert follow_up.run() == (1, 0)
    assert [m.to for m in mail.outbox] == [["c@phanthiet.vn"]]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_four_jobs_at_once_take_each_step_once(site_tree, page_a, user_a, agency):
    stand = exhibit(make_fair(fair_index(site_tree[0]), days_from_today=21), page_a, booth="A01")
    start, end = stand.open_slots()[0]
    meeting = MeetingRequest.objects.create(
        exhibitor=stand,
        starts_at=start,
        ends_at=end,
        name="Sophie Laurent",
        email="sophie@laurent.example.fr",
        country="FR",
        consent_at=RECEIVED,
        created_at=RECEIVED,
    )
    barrier = threading.Barrier(4)
    taken = []

    def job():
        # Each thread is a run of the scheduled job with its own database connection.
        try:
            barrier.wait()
            taken.append(follow_up.run(now=at(2026, 5, 7, 9)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(taken) == 4 and tuple(map(sum, zip(*taken, strict=True))) == (1, 1)
    assert sorted(meeting.follow_ups.values_list("step", flat=True)) == ["escalated", "reminded"]
    kinds = sorted(meeting.notifications.values_list("kind", "recipient"))
    assert kinds == [(Kind.AGENCY_ESCALATION, agency.email), (Kind.PRODUCER_REMINDER, user_a.email)]
