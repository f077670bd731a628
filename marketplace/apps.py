"""The marketplace app: one Django app (one label, one set of migrations) holding a folder per wing."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")

    def ready(self):
        # The home page (catalogue) knows nothing of fairs and collections; this app adds its
        # index pages to what may go under it, so catalogue never names an app above it.
        from catalogue.models import HomePage

        extra = ["marketplace.FairIndexPage", "marketplace.ProductCollectionIndexPage"]
        HomePage.subpage_types = [*HomePage.subpage_types, *(t for t in extra if t not in HomePage.subpage_types)]

        # Fairs and collections show products: the shared cache's purges reach them too.
        from .collections import purging as collection_purges  # noqa: F401
        from .fairs import purging as fair_purges

        fair_purges.connect()
        # Lot pages show their product's certification today: purged with the product's records.
        from .lots import purging as lot_purges

        lot_purges.connect()

        # Each wing registers how its outbox e-mails are built (outbox.sending.register): a
        # worker process that only runs tasks must know every kind. Each wing that stores buyer
        # events registers them for the demand figures (marketplace.shared.events); the demand
        # wing records searches as search announces them, and shows the sourcing leads the
        # inquiries and collections wings know how to open (marketplace.shared.leads).
        from .collections import leads as collection_leads  # noqa: F401
        from .demand import recording
        from .fairs import delivery as meeting_emails  # noqa: F401
        from .fairs import events as meeting_events  # noqa: F401
        from .inquiries import delivery as inquiry_emails  # noqa: F401
        from .inquiries import events as inquiry_events  # noqa: F401
        from .inquiries import leads as inquiry_leads  # noqa: F401
        from .orders import delivery as order_emails  # noqa: F401
        from .orders import events as order_events  # noqa: F401

        recording.connect()
