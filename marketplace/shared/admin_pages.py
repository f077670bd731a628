"""The frame of a plain marketplace admin page: Wagtail's header, breadcrumbs, agency-only pages."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalogue.access import is_agency


class AdminPage(WagtailAdminTemplateMixin, TemplateView):
    """A plain admin page with Wagtail's header and breadcrumbs."""

    agency_only = False

    def dispatch(self, request, *args, **kwargs):
        if self.agency_only and not is_agency(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    # (URL name, label) of the listing this page belongs to, shown between the admin home and this page.
    parent_crumb = None

    def get_breadcrumbs_items(self):
        parent = [{"url": reverse(self.parent_crumb[0]), "label": self.parent_crumb[1]}] if self.parent_crumb else []
        return [*self.breadcrumbs_items, *parent, {"url": "", "label": self.get_page_title()}]
