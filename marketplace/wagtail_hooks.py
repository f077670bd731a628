"""Admin wiring for producers and the agency: menus, views, dashboard and the producer scope."""

from django.urls import path, re_path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from catalogue.access import images_for, is_agency, producer_ids_for, scope_page_queryset

from .panels import ExpiryPanel, own_summary_item
from .views.accounts import ProducerAccountsView, SetAccountActiveView
from .views.documents import SubmissionDownloadView, SubmissionListView, SubmissionReviewView
from .views.imports import DecisionImportView, HeldRowDownloadView, HeldRowEditView, HeldRowListView
from .views.profile import MyProducersView, ProducerProfileView
from .views.revocations import RevocationView


@hooks.register("register_admin_urls")
def marketplace_admin_urls():
    return [
        path("producer-accounts/", ProducerAccountsView.as_view(), name="marketplace_producer_accounts"),
        path(
            "producer-accounts/<int:user_id>/active/",
            SetAccountActiveView.as_view(),
            name="marketplace_set_account_active",
        ),
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
        path("my-producer/", MyProducersView.as_view(), name="marketplace_my_producers"),
        path("my-producer/<int:pk>/", ProducerProfileView.as_view(), name="marketplace_producer_profile"),
    ]


class AgencyMenuItem(MenuItem):
    def is_shown(self, request):
        return is_agency(request.user)


class ProducerMenuItem(MenuItem):
    def is_shown(self, request):
        return not is_agency(request.user) and bool(producer_ids_for(request.user))


class MemberMenuItem(MenuItem):
    def is_shown(self, request):
        return is_agency(request.user) or bool(producer_ids_for(request.user))


marketplace_menu = Menu(
    items=[
        ProducerMenuItem(_("My producer"), reverse_lazy("marketplace_my_producers"), icon_name="group", order=10),
        MemberMenuItem(
            _("Certificate documents"), reverse_lazy("marketplace_submissions"), icon_name="doc-full", order=20
        ),
        AgencyMenuItem(
            _("Producer accounts"), reverse_lazy("marketplace_producer_accounts"), icon_name="user", order=30
        ),
        AgencyMenuItem(
            _("Import decisions"), reverse_lazy("marketplace_import_decisions"), icon_name="upload", order=40
        ),
        AgencyMenuItem(_("Held rows"), reverse_lazy("marketplace_held_rows"), icon_name="warning", order=41),
        AgencyMenuItem(_("Revoke records"), reverse_lazy("marketplace_revoke"), icon_name="cross", order=42),
    ]
)


@hooks.register("register_admin_menu_item")
def register_marketplace_menu():
    return SubmenuMenuItem(_("Marketplace"), marketplace_menu, icon_name="pick", order=120)


@hooks.register("construct_homepage_panels")
def add_expiry_panel(request, panels):
    panels.append(ExpiryPanel())


# The permission policy (apps.py) already scopes listings; these hooks cover the
# explorer's search and the page choosers, which filter their own querysets.
@hooks.register("construct_explorer_page_queryset")
def scope_explorer(parent_page, pages, request):
    return scope_page_queryset(request.user, pages)


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    return scope_page_queryset(request.user, pages)


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's own items
def scope_summary_counts(request, items):
    """The dashboard's page count: a producer's own, not the whole site's (images follow their policy)."""
    if not is_agency(request.user):
        items[:] = [own_summary_item(item) for item in items]


# The admin API's image endpoint does not ask the permission policy.
@hooks.register("construct_admin_api", order=100)  # after wagtail.images registers its own
def scope_admin_api_images(router):
    from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

    class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
        def get_queryset(self):
            return super().get_queryset().filter(pk__in=images_for(self.request.user).values("pk"))

    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)


@hooks.register("construct_reports_menu")
def reports_for_the_agency(request, menu_items):
    # The reports span every producer's pages (AdminScopeMiddleware refuses them to producers).
    if not is_agency(request.user):
        menu_items[:] = []


# Each wing registers its own admin pieces: Wagtail imports only this module of an app.
from .fairs import wagtail_hooks as fair_hooks  # noqa: E402, F401
from .inquiries import wagtail_hooks as inquiry_hooks  # noqa: E402, F401
from .orders import wagtail_hooks as order_hooks  # noqa: E402, F401
