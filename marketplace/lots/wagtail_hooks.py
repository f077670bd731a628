"""Admin wiring of lots: the scoped permission policy, the viewset and its Marketplace menu item."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from ..shared.menus import MemberMenuItem
from .access import LotPermissionPolicy
from .admin_views import LotViewSet
from .models import Lot

# Before the viewset asks the registry: without it Wagtail would fall back to model permissions alone.
register_permission_policy(Lot, LotPermissionPolicy(Lot))


@hooks.register("register_admin_viewset")
def register_lot_viewset():
    return LotViewSet("lots")


@hooks.register("register_marketplace_menu_item")
def lots_menu_item():
    return MemberMenuItem(_("Production lots"), reverse_lazy("lot_admin:index"), icon_name="clipboard-list", order=25)
