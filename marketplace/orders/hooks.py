"""Admin URLs, menu item and the shipping-zone snippet of sample orders (registered in wagtail_hooks)."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.menu import MenuItem
from wagtail.snippets.views.snippets import SnippetViewSet

from catalogue.access import is_agency, producer_ids_for

from . import admin_views
from .models import ShippingZone


def admin_urls():
    return [
        path("sample-orders/", admin_views.OrderListView.as_view(), name="marketplace_sample_orders"),
        path("sample-orders/export/", admin_views.OrderExportView.as_view(), name="marketplace_sample_orders_export"),
        path("sample-orders/<int:pk>/", admin_views.OrderDetailView.as_view(), name="marketplace_sample_order"),
    ]


class OrderMenuItem(MenuItem):
    def is_shown(self, request):
        return is_agency(request.user) or bool(producer_ids_for(request.user))


def menu_item():
    return OrderMenuItem(_("Sample orders"), reverse_lazy("marketplace_sample_orders"), icon_name="pick", order=116)


class ShippingZoneViewSet(SnippetViewSet):
    """International shipping zones and their fees (the agency's; producers hold no permission on them)."""

    model = ShippingZone
    icon = "site"
    menu_label = _("Shipping zones")
    list_display = ["name", "fee_vnd"]
    add_to_settings_menu = True
