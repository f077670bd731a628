"""Dashboard panel: how many inquiries are new, answered and closed in the user's scope."""

from django.urls import reverse

from wagtail.admin.ui.components import Component

from catalogue.access import is_agency, producer_ids_for

from .access import inquiries_for
from .admin_views import status_counts
from .models import InquiryNotification


class InquiryPanel(Component):
    name = "inquiries"
    template_name = "marketplace/admin/inquiry_panel.html"
    order = 140

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        agency = is_agency(user)
        scope = inquiries_for(user)
        return {
            "shown": agency or bool(producer_ids_for(user)),
            "counts": status_counts(scope),
            "routing": scope.awaiting_routing().count() if agency else 0,
            # Unanswered for four working days: the agency answers or reassigns them.
            "escalated": list(scope.filter(escalated_at__isnull=False).order_by("escalated_at")[:10]) if agency else [],
            "failed": InquiryNotification.objects.filter(gave_up_at__isnull=False, sent_at__isnull=True).count()
            if agency
            else 0,
            "list_url": reverse("marketplace_inquiries"),
            "notifications_url": reverse("marketplace_inquiry_notifications") if agency else "",
            "is_agency": agency,
        }
