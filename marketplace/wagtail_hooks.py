"""Admin wiring of the marketplace: each wing's hooks, and the Marketplace submenu they share.

Wagtail imports only an app's own wagtail_hooks.py; the wings' hook modules register when
imported here. The Marketplace submenu lives here, above the wings that fill it: each wing
registers its items with `@hooks.register("register_marketplace_menu_item")` (who sees an item:
marketplace.shared.menus), so no wing owns the menu and none imports another to appear in it.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from .accounts import wagtail_hooks as accounts_hooks  # noqa: F401
from .records import wagtail_hooks as records_hooks  # noqa: F401

marketplace_menu = Menu(register_hook_name="register_marketplace_menu_item")


@hooks.register("register_admin_menu_item")
def register_marketplace_menu():
    return SubmenuMenuItem(_("Marketplace"), marketplace_menu, icon_name="pick", order=120)


# Buyer inquiries (marketplace/inquiries).
@hooks.register("register_admin_urls")
def inquiry_admin_urls():
    from .inquiries.hooks import admin_urls

    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_inquiry_menu():
    from .inquiries.hooks import menu_item

    return menu_item()


@hooks.register("construct_homepage_panels")
def add_inquiry_panel(request, panels):
    from .inquiries.panels import InquiryPanel

    panels.append(InquiryPanel())


# Sample orders (marketplace/orders).
@hooks.register("register_admin_urls")
def sample_order_admin_urls():
    from .orders.hooks import admin_urls

    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_sample_order_menu():
    from .orders.hooks import menu_item

    return menu_item()


def _register_shipping_zones():
    from wagtail.snippets.models import register_snippet

    from .orders.hooks import ShippingZoneViewSet

    register_snippet(ShippingZoneViewSet)


_register_shipping_zones()


@hooks.register("construct_homepage_panels")
def add_sample_order_panel(request, panels):
    from .orders.panels import SampleOrderPanel

    panels.append(SampleOrderPanel())


# Trade fairs: exhibiting and meetings (marketplace/fairs).
@hooks.register("register_admin_urls")
def fair_admin_urls():
    from .fairs.hooks import admin_urls

    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_fair_menu():
    from .fairs.hooks import menu_items

    return menu_items()[0]


@hooks.register("register_admin_menu_item")
def register_meeting_menu():
    from .fairs.hooks import menu_items

    return menu_items()[1]


@hooks.register("construct_homepage_panels")
def add_fair_panel(request, panels):
    from .fairs.panels import FairPanel

    panels.append(FairPanel())
