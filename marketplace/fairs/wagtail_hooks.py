"""Admin URLs, menu items and dashboard panel of exhibiting at fairs and buyer meetings."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from ..shared.menus import MemberMenuItem
from . import admin_views
from .panels import FairPanel


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("fairs/", admin_views.ExhibitorListView.as_view(), name="marketplace_fair_exhibitors"),
        path("fairs/<int:fair_id>/apply/", admin_views.ApplyView.as_view(), name="marketplace_fair_apply"),
        path(
            "fairs/exhibitors/<int:pk>/", admin_views.ExhibitorDetailView.as_view(), name="marketplace_fair_exhibitor"
        ),
        path("fairs/meetings/", admin_views.MeetingListView.as_view(), name="marketplace_fair_meetings"),
        path("fairs/meetings/<int:pk>/", admin_views.MeetingDetailView.as_view(), name="marketplace_meeting"),
        path(
            "fairs/meetings/<int:pk>/reassign/",
            admin_views.MeetingReassignView.as_view(),
            name="marketplace_meeting_reassign",
        ),
    ]


@hooks.register("register_admin_menu_item")
def fair_menu_item():
    return MemberMenuItem(_("Fairs"), reverse_lazy("marketplace_fair_exhibitors"), icon_name="date", order=116)


@hooks.register("register_admin_menu_item")
def meeting_menu_item():
    return MemberMenuItem(_("Meetings"), reverse_lazy("marketplace_fair_meetings"), icon_name="calendar", order=117)


@hooks.register("construct_homepage_panels")
def add_fair_panel(request, panels):
    panels.append(FairPanel())
