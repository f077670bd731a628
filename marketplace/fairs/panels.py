"""Dashboard panel: meeting requests waiting for an answer and, for the agency, applications to decide."""

from django.urls import reverse
from django.utils import timezone

from wagtail.admin.ui.components import Component

from catalogue.access import is_agency, producer_ids_for

from .access import exhibitors_for, meetings_for
from .models import Exhibitor, MeetingNotification, MeetingRequest


class FairPanel(Component):
    name = "fairs"
    template_name = "marketplace/admin/fair_panel.html"
    order = 145

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        agency = is_agency(user)
        upcoming = {"exhibitor__fair__ends_on__gte": timezone.localdate()}
        return {
            "shown": agency or bool(producer_ids_for(user)),
            "is_agency": agency,
            "requested": meetings_for(user).filter(status=MeetingRequest.Status.REQUESTED, **upcoming).count(),
            "accepted": meetings_for(user).filter(status=MeetingRequest.Status.ACCEPTED, **upcoming).count(),
            "applied": exhibitors_for(user).filter(status=Exhibitor.Status.APPLIED).count(),
            # Unanswered for four working days: the agency answers for the exhibitor or reassigns them.
            "escalated": list(
                meetings_for(user)
                .filter(status=MeetingRequest.Status.REQUESTED, escalated_at__isnull=False)
                .select_related("exhibitor__producer", "exhibitor__fair")
                .order_by("escalated_at")[:10]
            )
            if agency
            else [],
            "failed": MeetingNotification.objects.filter(gave_up_at__isnull=False, sent_at__isnull=True).count()
            if agency
            else 0,
            "meetings_url": reverse("marketplace_fair_meetings"),
            "exhibitors_url": reverse("marketplace_fair_exhibitors"),
        }
