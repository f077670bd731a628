"""Admin wiring of producer accounts: their pages and menu items, and the producer scope in Wagtail's admin.

The scope covers the explorer, the page chooser, the dashboard counts, the images API and the reports.
"""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from catalogue.access import is_agency, scope_page_queryset

from ..shared.menus import AgencyMenuItem, ProducerMenuItem
from .admin_views import MyProducersView, ProducerAccountsView, ProducerProfileView, SetAccountActiveView
from .scope import ScopedImagesAdminAPIViewSet, own_summary_item


@hooks.register("register_admin_urls")
def accounts_admin_urls():
    return [
        path("producer-accounts/", ProducerAccountsView.as_view(), name="marketplace_producer_accounts"),
        path(
            "producer-accounts/<int:user_id>/active/",
            SetAccountActiveView.as_view(),
            name="marketplace_set_account_active",
        ),
        path("my-producer/", MyProducersView.as_view(), name="marketplace_my_producers"),
        path("my-producer/<int:pk>/", ProducerProfileView.as_view(), name="marketplace_producer_profile"),
    ]


@hooks.register("register_marketplace_menu_item")
def my_producer_menu_item():
    return ProducerMenuItem(_("My producer"), reverse_lazy("marketplace_my_producers"), icon_name="group", order=10)


@hooks.register("register_marketplace_menu_item")
def producer_accounts_menu_item():
    return AgencyMenuItem(
        _("Producer accounts"), reverse_lazy("marketplace_producer_accounts"), icon_name="user", order=30
    )


# The permission policy (catalogue/apps.py) already scopes listings; these hooks cover the
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


@hooks.register("construct_admin_api", order=100)  # after wagtail.images registers its own
def scope_admin_api_images(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)


@hooks.register("construct_reports_menu")
def reports_for_the_agency(request, menu_items):
    # The reports span every producer's pages (AdminScopeMiddleware refuses them to producers).
    if not is_agency(request.user):
        menu_items[:] = []
