"""Admin URLs, menu item and dashboard panel of the inquiry inbox."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from ..shared.menus import MemberMenuItem
from . import admin_views
from .panels import InquiryPanel


@hooks.register("register_admin_urls")
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


@hooks.register("register_admin_menu_item")
def menu_item():
    return MemberMenuItem(_("Inquiries"), reverse_lazy("marketplace_inquiries"), icon_name="mail", order=115)


@hooks.register("construct_homepage_panels")
def add_inquiry_panel(request, panels):
    panels.append(InquiryPanel())
