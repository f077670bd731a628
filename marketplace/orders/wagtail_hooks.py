"""Admin URLs, menu items, dashboard panel and the shipping-zone snippet of sample orders and their reviews."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..shared.menus import MemberMenuItem
from . import admin_views, review_admin
from .models import ShippingZone
from .panels import SampleOrderPanel


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("sample-orders/", admin_views.OrderListView.as_view(), name="marketplace_sample_orders"),
        path("sample-orders/export/", admin_views.OrderExportView.as_view(), name="marketplace_sample_orders_export"),
        path("sample-orders/<int:pk>/", admin_views.OrderDetailView.as_view(), name="marketplace_sample_order"),
        path("sample-reviews/", review_admin.ReviewListView.as_view(), name="marketplace_sample_reviews"),
        path("sample-reviews/<int:pk>/", review_admin.ReviewDetailView.as_view(), name="marketplace_sample_review"),
    ]


@hooks.register("register_admin_menu_item")
def menu_item():
    return MemberMenuItem(_("Sample orders"), reverse_lazy("marketplace_sample_orders"), icon_name="pick", order=116)


@hooks.register("register_admin_menu_item")
def reviews_menu_item():
    return MemberMenuItem(
        _("Sample reviews"), reverse_lazy("marketplace_sample_reviews"), icon_name="openquote", order=117
    )


class ShippingZoneViewSet(SnippetViewSet):
    """International shipping zones and their fees (the agency's; producers hold no permission on them)."""

    model = ShippingZone
    icon = "site"
    menu_label = _("Shipping zones")
    list_display = ["name", "fee_vnd"]
    add_to_settings_menu = True


register_snippet(ShippingZoneViewSet)


@hooks.register("construct_homepage_panels")
def add_sample_order_panel(request, panels):
    panels.append(SampleOrderPanel())
