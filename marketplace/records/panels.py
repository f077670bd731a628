"""Dashboard: records expiring in the next 90 days and those expired in the last 90."""

from django.urls import reverse

from wagtail.admin.ui.components import Component

from catalogue.access import certifications_for, is_agency

from .expiry import DASHBOARD_WINDOW_DAYS, expiring_and_expired

ROWS = 20


class ExpiryPanel(Component):
    name = "certification_expiry"
    template_name = "marketplace/admin/expiry_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        records = certifications_for(request.user).select_related("producer", "product")
        expiring, expired = expiring_and_expired(records)
        agency = is_agency(request.user)

        def link(record):
            if agency:
                return reverse("wagtailsnippets_catalogue_certification:edit", args=[record.pk])
            return record.get_absolute_url()

        return {
            "expiring": [(r, link(r)) for r in expiring[:ROWS]],
            "expired": [(r, link(r)) for r in expired[:ROWS]],
            "expiring_count": expiring.count(),
            "expired_count": expired.count(),
            "window": DASHBOARD_WINDOW_DAYS,
            "is_agency": agency,
        }
