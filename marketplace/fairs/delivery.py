"""Who is told about a meeting request and what each e-mail says; the outbox (marketplace/outbox) sends them.

Rows are queued with what they announce; emails of an accepted meeting carry its .ics.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from ..outbox import sending
from ..outbox.recipients import absolute, agency_addresses, producer_addresses
from .calendar import meeting_calendar
from .forms import slot_label
from .models import MeetingNotification

Kind = MeetingNotification.Kind


def queue(meeting, kind, addresses):
    return [
        MeetingNotification.objects.create(
            meeting=meeting, kind=kind, recipient=email, language=language or settings.LANGUAGE_CODE
        )
        for email, language in addresses
    ]


def _producer(meeting):
    return producer_addresses([meeting.exhibitor.producer])


def queue_requested(meeting):
    rows = queue(meeting, Kind.BUYER_ACK, [(meeting.email, meeting.language)])
    return rows + queue(meeting, Kind.PRODUCER_NEW, _producer(meeting))


def queue_accepted(meeting):
    rows = queue(meeting, Kind.BUYER_ACCEPTED, [(meeting.email, meeting.language)])
    return rows + queue(meeting, Kind.PRODUCER_ACCEPTED, _producer(meeting))


def queue_declined(meeting):
    return queue(meeting, Kind.BUYER_DECLINED, [(meeting.email, meeting.language)])


def queue_reminder(meeting):
    return queue(meeting, Kind.PRODUCER_REMINDER, _producer(meeting))


def queue_escalation(meeting):
    return queue(meeting, Kind.AGENCY_ESCALATION, agency_addresses())


def queue_reassigned(meeting):
    """The new exhibitor receives the request as new; the buyer learns who it went to."""
    rows = queue(meeting, Kind.BUYER_REASSIGNED, [(meeting.email, meeting.language)])
    return rows + queue(meeting, Kind.PRODUCER_NEW, _producer(meeting))


def answered_by(meeting):
    """Who accepted or declined, as the buyer reads it: the agency's answers for an exhibitor say so."""
    if meeting.answered_by_agency:
        return gettext("%(site)s, on behalf of %(producer)s") % {
            "site": settings.WAGTAIL_SITE_NAME,
            "producer": meeting.exhibitor.producer.name,
        }
    return meeting.exhibitor.producer.name


def _content(notification):
    meeting = notification.meeting
    exhibitor = meeting.exhibitor
    fair = exhibitor.fair
    values = {
        "reference": meeting.reference,
        "fair": fair.localized_title,
        "producer": exhibitor.producer.name,
        "answered_by": answered_by(meeting),
        "slot": slot_label(meeting.starts_at, meeting.ends_at),
        "buyer": meeting.company or meeting.name,
    }
    kind = notification.kind
    to_buyer = kind in (Kind.BUYER_ACK, Kind.BUYER_ACCEPTED, Kind.BUYER_DECLINED, Kind.BUYER_REASSIGNED)
    if kind == Kind.BUYER_ACK:
        subject = gettext("Meeting request %(reference)s sent to %(producer)s") % values
        intro = (
            gettext(
                "Thank you. %(producer)s will accept or decline your meeting at %(fair)s on %(slot)s (Vietnam time); "
                "we will email you either way."
            )
            % values
        )
    elif kind == Kind.PRODUCER_NEW:
        subject = gettext("New meeting request %(reference)s at %(fair)s") % values
        intro = (
            gettext("%(buyer)s asks to meet you at %(fair)s on %(slot)s (Vietnam time). Accept or decline:") % values
        )
    elif kind == Kind.PRODUCER_REMINDER:
        subject = gettext("Reminder: meeting request %(reference)s waits for your answer") % values
        intro = (
            gettext(
                "%(buyer)s has waited two working days for you to accept or decline a meeting at %(fair)s on "
                "%(slot)s (Vietnam time). After four, the agency follows up and may answer for you or pass the "
                "request to another exhibitor."
            )
            % values
        )
    elif kind == Kind.AGENCY_ESCALATION:
        subject = gettext("Unanswered for four working days: meeting request %(reference)s") % values
        intro = (
            gettext(
                "%(producer)s did not accept or decline the meeting with %(buyer)s at %(fair)s on %(slot)s in four "
                "working days. Answer on the exhibitor's behalf or reassign it to a matching exhibitor:"
            )
            % values
        )
    elif kind == Kind.BUYER_REASSIGNED:
        subject = gettext("Meeting request %(reference)s passed to %(producer)s") % values
        intro = (
            gettext(
                "The exhibitor you asked did not answer, so the agency passed your meeting request to "
                "%(producer)s, who shows matching products at %(fair)s, for %(slot)s (Vietnam time). "
                "We will email you when they accept or decline."
            )
            % values
        )
    elif kind in (Kind.BUYER_ACCEPTED, Kind.PRODUCER_ACCEPTED):
        subject = gettext("Meeting confirmed: %(producer)s, %(slot)s") % values
        intro = (
            gettext(
                "The meeting of %(buyer)s with %(producer)s at %(fair)s on %(slot)s (Vietnam time) is confirmed. "
                "The attached calendar file adds it to your calendar."
            )
            % values
        )
    else:
        subject = gettext("Meeting request %(reference)s declined") % values
        intro = (
            gettext(
                "%(producer)s cannot meet you at %(fair)s on %(slot)s. You may choose another slot on the fair's page."
            )
            % values
        )
    link = absolute(fair.url or "/") if to_buyer else absolute(reverse("marketplace_meeting", args=[meeting.pk]))
    context = {
        "meeting": meeting,
        "exhibitor": exhibitor,
        "fair": fair,
        "intro": intro,
        "slot": values["slot"],
        "link": link,
        "show_contacts": not to_buyer,
        "note": meeting.producer_note if kind in (Kind.BUYER_ACCEPTED, Kind.BUYER_DECLINED) else "",
        "on_behalf": values["answered_by"]
        if meeting.answered_by_agency and kind in (Kind.BUYER_ACCEPTED, Kind.BUYER_DECLINED)
        else "",
        "status_link": absolute(reverse("fairs:meeting-sent", args=[meeting.access_token])) if to_buyer else "",
        "deletion_link": absolute(reverse("fairs:meeting-erase", args=[meeting.access_token])) if to_buyer else "",
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    text = render_to_string("marketplace/email/meeting.txt", context)
    attachment = None
    if kind in (Kind.BUYER_ACCEPTED, Kind.PRODUCER_ACCEPTED):
        attachment = (f"{meeting.reference}.ics", meeting_calendar(meeting).to_ical(), "text/calendar")
    return f"[{settings.WAGTAIL_SITE_NAME}] {subject}", text, attachment


def build_email(notification):
    subject, text, attachment = _content(notification)
    return sending.message(notification, subject, text, attachment=attachment)


OUTBOX = sending.register(
    MeetingNotification,
    build_email,
    "Meeting emails",
    related=("meeting__exhibitor__fair", "meeting__exhibitor__producer", "meeting__exhibitor__zone"),
)
