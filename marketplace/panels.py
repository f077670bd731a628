"""Dashboard: records expiring in the next 90 days and those expired in the last 90; a
producer's own page count."""

from django.urls import reverse

from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from catalogue.access import certifications_for, is_agency, scope_page_queryset

from .reminders import DASHBOARD_WINDOW_DAYS, expiring_and_expired

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


class OwnPagesSummaryItem(PagesSummaryItem):
    """Wagtail counts every page under the user's explorable root, other producers' too."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if context["root_page"] is not None:
            pages = Page.objects.descendant_of(context["root_page"], inclusive=True)
            context["total_pages"] = scope_page_queryset(self.request.user, pages).count()
        return context


def own_summary_item(item):
    return OwnPagesSummaryItem(item.request) if type(item) is PagesSummaryItem else item
