"""A buyer requests a meeting with an exhibitor for a slot; the producer accepts or declines in the admin."""

import datetime
import threading

import icalendar
import pytest

from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from marketplace.fairs.models import MeetingNotification, MeetingRequest
from marketplace.outbox import sending
from tests.factories import certified_product, producer_user
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair, meeting_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(site_tree):
    return make_fair(fair_index(site_tree[0]))


@pytest.fixture
def stand(fair, page_a):
    return exhibit(fair, page_a, booth="A01")


def request_url(exhibitor):
    return reverse("fairs:meeting-request", args=[exhibitor.pk])


def test_buyer_requests_a_slot_and_both_sides_are_told(buyer, stand, user_a):
    html = buyer.get(request_url(stand)).content.decode()
    assert "Decree 13/2023" in html and 'name="form_token"' in html and 'name="website"' in html
    first_start, _end = stand.open_slots()[0]
    assert first_start.isoformat() in html

    response = buyer.post(request_url(stand), meeting_form(stand))
    meeting = MeetingRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "fairs:meeting-sent", args=[meeting.access_token]
    )
    assert meeting.status == "requested" and meeting.starts_at == first_start
    assert meeting.email == "sophie@laurent.example.fr" and meeting.phone == "+33142000000"
    assert meeting.language == "en" and meeting.consent_at is not None
    assert meeting.reference in buyer.get(response["Location"]).content.decode()

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"sophie@laurent.example.fr", "a@cuakhe.vn"}
    assert meeting.reference in by_recipient["sophie@laurent.example.fr"].subject
    assert "+33142000000" in by_recipient["a@cuakhe.vn"].body  # contacts go to the exhibitor only
    assert "+33142000000" not in by_recipient["sophie@laurent.example.fr"].body
    assert reverse("marketplace_meeting", args=[meeting.pk]) in by_recipient["a@cuakhe.vn"].body
    assert not any(m.attachments for m in mail.outbox)  # no calendar file until it is accepted
    rows = {n.recipient: n.language for n in MeetingNotification.objects.all()}
    assert rows == {"sophie@laurent.example.fr": "en", "a@cuakhe.vn": "vi"}
    # The slot is no longer offered.
    assert first_start not in [s for s, _ in stand.open_slots()]


def test_consent_slot_and_contacts_are_checked_and_typed_values_kept(buyer, stand):
    response = buyer.post(request_url(stand), meeting_form(stand, consent=None, phone="12", slot="2020-01-01T08:00"))
    html = response.content.decode()
    assert response.status_code == 200 and not MeetingRequest.objects.exists()
    assert "only with your consent" in html and "valid phone number" in html and "Choose one of the open slots" in html
    assert "Maison Laurent" in html


def test_double_submit_stores_one_request(buyer, stand):
    data = meeting_form(stand)
    first = buyer.post(request_url(stand), data)
    second = buyer.post(request_url(stand), data)
    assert first["Location"] == second["Location"]
    assert MeetingRequest.objects.count() == 1


def test_a_taken_slot_is_refused_with_a_message(buyer, stand):
    slot = stand.open_slots()[0][0]
    buyer.post(request_url(stand), meeting_form(stand, slot=slot))
    response = buyer.post(request_url(stand), meeting_form(stand, slot=slot, email="other@example.com"))
    assert response.status_code == 200
    assert "That slot was just taken" in response.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_spam_rules_of_inquiries_apply(buyer, stand, settings):
    assert buyer.post(request_url(stand), meeting_form(stand, website="http://spam")).status_code == 200
    settings.INQUIRY_RATE_PER_EMAIL = "1/h"
    buyer.post(request_url(stand), meeting_form(stand))
    slot = stand.open_slots()[0][0]
    assert buyer.post(request_url(stand), meeting_form(stand, slot=slot)).status_code == 429
    assert MeetingRequest.objects.count() == 1


def test_no_meetings_for_past_fairs_hidden_exhibitors_or_applications(buyer, fair, page_a, page_b, product_index):
    past = make_fair(fair.get_parent(), slug="da-qua", days_from_today=-20)
    assert buyer.get(request_url(exhibit(past, page_a))).status_code == 410
    assert buyer.get(request_url(exhibit(fair, page_b, booth="", status="applied"))).status_code == 404
    lapsed = certified_product(
        product_index, title="Hết hạn", signed_on=timezone.localdate() - datetime.timedelta(days=1200)
    )
    assert buyer.get(request_url(exhibit(fair, lapsed, booth="Z1"))).status_code == 404
    assert buyer.get(reverse("fairs:meeting-request", args=[999999])).status_code == 404


def test_the_database_refuses_a_double_booking(stand):
    start, end = stand.open_slots()[0]
    values = {"exhibitor": stand, "starts_at": start, "ends_at": end, "name": "A", "email": "a@x.org", "country": "FR"}
    MeetingRequest.objects.create(consent_at=start, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingRequest.objects.create(consent_at=start, **values)
    # A declined request frees the slot.
    MeetingRequest.objects.update(status=MeetingRequest.Status.DECLINED)
    MeetingRequest.objects.create(consent_at=start, **values)


def test_producer_accepts_and_both_get_the_calendar_file(client, buyer, stand, user_a):
    buyer.post(request_url(stand), meeting_form(stand))
    meeting = MeetingRequest.objects.get()
    mail.outbox.clear()
    client.force_login(user_a)
    html = client.get(reverse("marketplace_fair_meetings")).content.decode()
    assert meeting.reference in html and "Sophie Laurent" in html
    url = reverse("marketplace_meeting", args=[meeting.pk])
    assert "sophie@laurent.example.fr" in client.get(url).content.decode()
    response = client.post(url, {"decision": "accept", "note": "Gian A01, cạnh lối vào"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "accepted" and meeting.decided_by == user_a
    assert {m.to[0] for m in mail.outbox} == {"sophie@laurent.example.fr", "a@cuakhe.vn"}
    for message in mail.outbox:
        (name, content, mimetype) = message.attachments[0]
        assert name == f"{meeting.reference}.ics" and mimetype == "text/calendar"
        (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
        assert event.decoded("DTSTART") == meeting.starts_at
    buyer_mail = next(m for m in mail.outbox if m.to == ["sophie@laurent.example.fr"])
    assert "Gian A01, cạnh lối vào" in buyer_mail.body
    # Answering twice changes nothing.
    client.post(url, {"decision": "decline"})
    meeting.refresh_from_db()
    assert meeting.status == "accepted" and len(mail.outbox) == 2


def test_producer_declines_and_the_slot_opens_again(client, buyer, stand, user_a):
    buyer.post(request_url(stand), meeting_form(stand))
    meeting = MeetingRequest.objects.get()
    mail.outbox.clear()
    client.force_login(user_a)
    client.post(reverse("marketplace_meeting", args=[meeting.pk]), {"decision": "decline", "note": "Hết giờ"})
    meeting.refresh_from_db()
    assert meeting.status == "declined"
    assert [m.to for m in mail.outbox] == [["sophie@laurent.example.fr"]] and not mail.outbox[0].attachments
    assert meeting.starts_at in [s for s, _ in stand.open_slots()]


def test_other_producers_never_see_the_buyer(client, buyer, stand, page_b, agency):
    buyer.post(request_url(stand), meeting_form(stand))
    meeting = MeetingRequest.objects.get()
    other = producer_user(page_b.producer, email="b@tancuong.vn")
    client.force_login(other)
    assert "Sophie" not in client.get(reverse("marketplace_fair_meetings") + "?status=all").content.decode()
    assert client.get(reverse("marketplace_meeting", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("marketplace_meeting", args=[meeting.pk]), {"decision": "accept"}).status_code == 404
    client.force_login(agency)
    assert "sophie@laurent.example.fr" in client.get(reverse("marketplace_meeting", args=[meeting.pk])).content.decode()


def test_a_mail_server_down_loses_nothing_and_the_command_retries(buyer, stand, user_a, settings):
    settings.EMAIL_BACKEND = "tests.marketplace.inquiry_helpers.FailingEmailBackend"
    buyer.post(request_url(stand), meeting_form(stand))
    meeting = MeetingRequest.objects.get()
    assert meeting.notifications.filter(sent_at__isnull=True, attempts=1).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_pending_notifications")  # not due yet: the backoff waits a minute
    assert len(mail.outbox) == 0
    states = sending.totals(sending.send_due(now=timezone.now() + datetime.timedelta(minutes=2)))
    assert states["sent"] == 2 and len(mail.outbox) == 2


def test_erasing_a_meeting_removes_the_buyer_and_frees_the_slot(buyer, stand):
    buyer.post(request_url(stand), meeting_form(stand))
    meeting = MeetingRequest.objects.get()
    meeting.erase_personal_data()
    meeting.refresh_from_db()
    assert meeting.email == "" and meeting.name == "" and meeting.status == "cancelled"
    assert meeting.starts_at in [s for s, _ in stand.open_slots()]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_for_one_slot_book_it_once(site_tree, product_index, settings):
    from django.db import connections
    from django.test import Client

    from tests.factories import ProducerFactory

    settings.INQUIRY_RATE_PER_IP = "1000/h"
    fair = make_fair(fair_index(site_tree[0]))
    product = certified_product(product_index, producer=ProducerFactory(slug="htx-gap-nhau"), title="Chè")
    stand = exhibit(fair, product, booth="A01")
    slot = stand.open_slots()[0][0]
    barrier = threading.Barrier(4)
    statuses = []

    def ask(n):
        # Each thread is a buyer with its own client and database connection.
        try:
            data = meeting_form(stand, slot=slot, email=f"buyer{n}@example.com")
            barrier.wait()
            statuses.append(Client().post(request_url(stand), data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert MeetingRequest.objects.filter(exhibitor=stand, starts_at=slot).count() == 1
    assert sorted(statuses).count(302) == 1 and len(statuses) == 4
    assert all(s in (200, 409, 302) for s in statuses)


def test_the_buyer_deletes_the_request_with_the_link_in_the_email(buyer, stand):
    buyer.post(request_url(stand), meeting_form(stand))
    meeting = MeetingRequest.objects.get()
    ack = next(m for m in mail.outbox if m.to == ["sophie@laurent.example.fr"])
    url = reverse("fairs:meeting-erase", args=[meeting.access_token])
    assert f"http://testserver{url}" in ack.body
    assert "Delete" in buyer.get(url).content.decode()
    buyer.post(url)
    meeting.refresh_from_db()
    assert meeting.erased_at and meeting.email == "" and meeting.status == "cancelled"
    assert not meeting.notifications.exclude(recipient="").exists()
    assert buyer.get(url).status_code == 404


def test_meetings_of_long_past_fairs_are_erased_by_the_daily_command(stand, fair, page_b):
    old_fair = make_fair(fair.get_parent(), slug="hoi-cho-cu", days_from_today=-800)
    old_stand = exhibit(old_fair, page_b, booth="A01")
    start, end = old_fair.slots()[0]
    old = MeetingRequest.objects.create(
        exhibitor=old_stand,
        starts_at=start,
        ends_at=end,
        name="Old",
        email="old@example.org",
        country="FR",
        consent_at=start,
        status="accepted",
    )
    start, end = stand.open_slots()[0]
    recent = MeetingRequest.objects.create(
        exhibitor=stand,
        starts_at=start,
        ends_at=end,
        name="New",
        email="new@example.org",
        country="FR",
        consent_at=start,
    )
    call_command("erase_closed_inquiries")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.erased_at and old.email == "" and old.status == "accepted"
    assert recent.erased_at is None and recent.email == "new@example.org"


def test_the_dashboard_counts_requests_waiting_for_the_producer(client, buyer, stand, user_a, page_b):
    buyer.post(request_url(stand), meeting_form(stand))
    client.force_login(user_a)
    html = client.get(reverse("wagtailadmin_home"), headers={"accept-language": "en"}).content.decode()
    assert "meeting requests to answer" in html
    panel = html.split('id="fairs-content"')[1]
    assert "<span>1</span>" in panel.split("meeting requests to answer")[0]
    other = producer_user(page_b.producer, email="b@tancuong.vn")
    client.force_login(other)
    panel = client.get(reverse("wagtailadmin_home")).content.decode().split('id="fairs-content"')[1]
    assert "<span>0</span>" in panel.split("</li>")[0]


def test_a_new_slot_length_never_offers_a_time_already_held(fair, stand):
    start, end = stand.open_slots()[0]  # 08:00–08:30
    MeetingRequest.objects.create(
        exhibitor=stand, starts_at=start, ends_at=end, name="A", email="a@x.org", country="FR", consent_at=start
    )
    fair.meeting_slot_minutes = 20  # 08:00, 08:20 (overlaps until 08:30), 08:40 …
    fair.save()
    stand.refresh_from_db()
    assert stand.open_slots()[0][0] - start == datetime.timedelta(minutes=40)
