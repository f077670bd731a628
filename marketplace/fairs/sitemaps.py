"""The fairs' section of /sitemap.xml (assembled in config/sitemaps.py)."""

from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from catalogue.sitemaps import LanguageAlternates

from .models import FairPage


class FairSitemap(LanguageAlternates, WagtailSitemap):
    """Live public fair pages, upcoming and past: a past fair's page stays up as its record."""

    def items(self):
        root = self.get_wagtail_site().root_page
        return FairPage.objects.live().public().descendant_of(root).order_by("-starts_on", "pk")
