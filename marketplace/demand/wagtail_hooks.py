"""Admin URLs and Marketplace menu items of the demand figures: the agency's page and each producer's."""

from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks

from ..shared.menus import AgencyMenuItem, ProducerMenuItem
from . import admin_views


@hooks.register("register_admin_urls")
def admin_urls():
    return [
        path("demand/", admin_views.AgencyDemandView.as_view(), name="marketplace_demand"),
        path("demand/export/", admin_views.AgencyDemandExportView.as_view(), name="marketplace_demand_export"),
        path("demand/lead/", admin_views.LeadView.as_view(), name="marketplace_demand_lead"),
        path("demand/mine/", admin_views.ProducerDemandView.as_view(), name="marketplace_demand_producer"),
        path(
            "demand/mine/export/",
            admin_views.ProducerDemandExportView.as_view(),
            name="marketplace_demand_producer_export",
        ),
    ]


@hooks.register("register_marketplace_menu_item")
def agency_menu_item():
    return AgencyMenuItem(_("Demand"), reverse_lazy("marketplace_demand"), icon_name="view", order=500)


@hooks.register("register_marketplace_menu_item")
def producer_menu_item():
    return ProducerMenuItem(
        _("Your demand figures"), reverse_lazy("marketplace_demand_producer"), icon_name="view", order=500
    )
