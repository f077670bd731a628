"""Admin wiring of the agency's records: its pages, its items in the Marketplace menu, the expiry panel."""

from django.urls import path, re_path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from ..shared.menus import AgencyMenuItem, MemberMenuItem
from .admin_views.annexes import DecisionImportView, HeldRowDownloadView, HeldRowEditView, HeldRowListView
from .admin_views.documents import SubmissionDownloadView, SubmissionListView, SubmissionReviewView
from .admin_views.revocations import RevocationView
from .panels import ExpiryPanel


@hooks.register("register_admin_urls")
def records_admin_urls():
    return [
        path("import-decisions/", DecisionImportView.as_view(), name="marketplace_import_decisions"),
        path("import-decisions/held/", HeldRowListView.as_view(), name="marketplace_held_rows"),
        path("import-decisions/held/<int:pk>/", HeldRowEditView.as_view(), name="marketplace_held_row"),
        re_path(
            r"^import-decisions/held/download\.(?P<extension>csv|xlsx)$",
            HeldRowDownloadView.as_view(),
            name="marketplace_held_rows_download",
        ),
        path("revoke-records/", RevocationView.as_view(), name="marketplace_revoke"),
        path("certificate-documents/", SubmissionListView.as_view(), name="marketplace_submissions"),
        path(
            "certificate-documents/<int:pk>/file/",
            SubmissionDownloadView.as_view(),
            name="marketplace_submission_download",
        ),
        path(
            "certificate-documents/<int:pk>/review/",
            SubmissionReviewView.as_view(),
            name="marketplace_submission_review",
        ),
    ]


@hooks.register("register_marketplace_menu_item")
def certificate_documents_menu_item():
    return MemberMenuItem(
        _("Certificate documents"), reverse_lazy("marketplace_submissions"), icon_name="doc-full", order=20
    )


@hooks.register("register_marketplace_menu_item")
def import_decisions_menu_item():
    return AgencyMenuItem(
        _("Import decisions"), reverse_lazy("marketplace_import_decisions"), icon_name="upload", order=40
    )


@hooks.register("register_marketplace_menu_item")
def held_rows_menu_item():
    return AgencyMenuItem(_("Held rows"), reverse_lazy("marketplace_held_rows"), icon_name="warning", order=41)


@hooks.register("register_marketplace_menu_item")
def revoke_records_menu_item():
    return AgencyMenuItem(_("Revoke records"), reverse_lazy("marketplace_revoke"), icon_name="cross", order=42)


@hooks.register("construct_homepage_panels")
def add_expiry_panel(request, panels):
    panels.append(ExpiryPanel())
