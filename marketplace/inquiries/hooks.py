"""Admin URLs, menu item and dashboard panel of the inquiry inbox (registered in wagtail_hooks)."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem

from catalogue.access import is_agency, producer_ids_for

from . import admin_views


def admin_urls():
    return [
        path("inquiries/", admin_views.InquiryListView.as_view(), name="marketplace_inquiries"),
        path("inquiries/export/", admin_views.InquiryExportView.as_view(), name="marketplace_inquiries_export"),
        path(
            "inquiries/emails/",
            admin_views.NotificationListView.as_view(),
            name="marketplace_inquiry_notifications",
        ),
        path("inquiries/<int:pk>/", admin_views.InquiryDetailView.as_view(), name="marketplace_inquiry"),
        path("inquiries/<int:pk>/route/", admin_views.InquiryRouteView.as_view(), name="marketplace_inquiry_route"),
    ]


class InquiryMenuItem(MenuItem):
    def is_shown(self, request):
        return is_agency(request.user) or bool(producer_ids_for(request.user))


def menu_item():
    return InquiryMenuItem(_("Inquiries"), reverse_lazy("marketplace_inquiries"), icon_name="mail", order=115)
