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
