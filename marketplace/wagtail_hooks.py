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
from .demand import wagtail_hooks as demand_hooks  # noqa: F401
from .fairs import wagtail_hooks as fairs_hooks  # noqa: F401
from .inquiries import wagtail_hooks as inquiries_hooks  # noqa: F401
from .lots import wagtail_hooks as lots_hooks  # noqa: F401
from .orders import wagtail_hooks as orders_hooks  # noqa: F401
from .records import wagtail_hooks as records_hooks  # noqa: F401

marketplace_menu = Menu(register_hook_name="register_marketplace_menu_item")


@hooks.register("register_admin_menu_item")
def register_marketplace_menu():
    return SubmenuMenuItem(_("Marketplace"), marketplace_menu, icon_name="pick", order=120)
