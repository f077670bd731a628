"""Admin URLs and menu items of exhibiting and meetings (registered in wagtail_hooks)."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem

from catalogue.access import is_agency, producer_ids_for

from . import admin_views


def admin_urls():
    return [
        path("fairs/", admin_views.ExhibitorListView.as_view(), name="marketplace_fair_exhibitors"),
        path("fairs/<int:fair_id>/apply/", admin_views.ApplyView.as_view(), name="marketplace_fair_apply"),
        path(
            "fairs/exhibitors/<int:pk>/", admin_views.ExhibitorDetailView.as_view(), name="marketplace_fair_exhibitor"
        ),
        path("fairs/meetings/", admin_views.MeetingListView.as_view(), name="marketplace_fair_meetings"),
        path("fairs/meetings/<int:pk>/", admin_views.MeetingDetailView.as_view(), name="marketplace_meeting"),
    ]


class MemberMenuItem(MenuItem):
    def is_shown(self, request):
        return is_agency(request.user) or bool(producer_ids_for(request.user))


def menu_items():
    return [
        MemberMenuItem(_("Fairs"), reverse_lazy("marketplace_fair_exhibitors"), icon_name="date", order=116),
        MemberMenuItem(_("Meetings"), reverse_lazy("marketplace_fair_meetings"), icon_name="calendar", order=117),
    ]
