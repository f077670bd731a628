"""The public side of fairs: calendar feeds and a buyer's meeting request."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from ..pipeline import submission
from ..pipeline.private import private
from . import follow_up, services
from .calendar import fairs_calendar
from .forms import MEETING_CONSENT_NOTICE, MeetingRequestForm
from .models import Exhibitor, FairPage, MeetingRequest


def _ics(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@cache_control(max_age=900, public=True)
def all_fairs_ics(request):
    fairs = FairPage.objects.live().public().select_related("province").prefetch_related("livestreams")
    return _ics(fairs_calendar(fairs.order_by("starts_on", "pk"), gettext("OCOP trade fairs")), "ocop-fairs.ics")


@cache_control(max_age=900, public=True)
def fair_ics(request, page_id):
    fair = get_object_or_404(FairPage.objects.live().public(), pk=page_id)
    return _ics(fairs_calendar([fair], fair.localized_title), f"{fair.slug}.ics")


def _exhibitor_or_refusal(request, exhibitor_id):
    exhibitor = (
        Exhibitor.objects.accepted()
        .select_related("fair", "producer", "zone")
        .filter(pk=exhibitor_id, fair__live=True)
        .first()
    )
    if exhibitor is None or not exhibitor.has_visible_products():
        reason = gettext("There is no such exhibitor at a fair on this site.")
        return None, render(request, "marketplace/inquiry_refused.html", {"reason": reason}, status=404)
    fair = exhibitor.fair
    if not (fair.meetings_open and fair.is_upcoming()):
        reason = gettext("%(fair)s does not take meeting requests (any more).") % {"fair": fair.title}
        return None, render(request, "marketplace/inquiry_refused.html", {"reason": reason}, status=410)
    return exhibitor, None


@require_http_methods(["GET", "POST"])
def request_meeting(request, exhibitor_id):
    exhibitor, refusal = _exhibitor_or_refusal(request, exhibitor_id)
    if refusal:
        return refusal

    def make_form(data=None, initial=None):
        return MeetingRequestForm(data, initial=initial, exhibitor=exhibitor)

    def save(form):
        try:
            return services.request_meeting(form, exhibitor)
        except services.SlotTaken:
            # Another buyer's request committed first: the slot is no longer offered and the form says so.
            form = make_form(data=form.data)
            form.is_valid()
            raise submission.Refused(form, 409) from None

    def render_page(form, status):
        context = {
            "exhibitor": exhibitor,
            "fair": exhibitor.fair,
            "form": form,
            "consent_notice": MEETING_CONSENT_NOTICE,
        }
        return render(request, "marketplace/meeting_form.html", context, status=status)

    return submission.handle(
        request,
        model=MeetingRequest,
        make_form=make_form,
        save=save,
        sent=lambda meeting: redirect("fairs:meeting-sent", meeting.access_token),
        render_page=render_page,
        rate_group=submission.REQUESTS_BUDGET,
        rate_message=gettext("You have sent many requests in a short time. Please wait an hour and try again."),
    )


def _meeting_or_404(request, token):
    meeting = (
        MeetingRequest.objects.select_related("exhibitor__fair", "exhibitor__producer")
        .filter(access_token=token, erased_at__isnull=True)
        .first()
    )
    if meeting is None:
        reason = gettext("This link does not lead to a meeting request: it may be mistyped, or the data was erased.")
        return None, private(render(request, "marketplace/inquiry_refused.html", {"reason": reason}, status=404))
    return meeting, None


def meeting_sent(request, token):
    meeting, missing = _meeting_or_404(request, token)
    if missing:
        return missing
    return private(
        render(request, "marketplace/meeting_sent.html", {"meeting": meeting, "stage": follow_up.stage(meeting)})
    )


@require_http_methods(["GET", "POST"])
def erase_meeting(request, token):
    """The buyer's deletion link (in every email to the buyer): erases name, contacts and message at once."""
    meeting, missing = _meeting_or_404(request, token)
    if missing:
        return missing
    if request.method == "POST":
        reference = meeting.reference
        meeting.erase_personal_data()
        return private(render(request, "marketplace/meeting_erased.html", {"reference": reference}))
    return private(render(request, "marketplace/meeting_erase_confirm.html", {"meeting": meeting}))
