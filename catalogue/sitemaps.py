"""Sitemap sections for what the catalogue shows: visible products, other pages, producers, records.

config/sitemaps.py puts these together with the marketplace's sections into /sitemap.xml.

No hreflang alternates yet: the language is chosen by Accept-Language (LocaleMiddleware) on
one URL per page, so vi and en have no distinct URLs to point to. Once the site gets language
prefixes (i18n_patterns), set ``i18n = alternates = x_default = True`` on the Django sections
and give the Wagtail ones per-language URLs in get_sitemap_urls.
"""

from django.contrib.sitemaps import Sitemap as DjangoSitemap

from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from .models import Certification, Producer, ProductPage


class ProductSitemap(WagtailSitemap):
    """Visible product pages only: a hidden one answers 410 and must not be offered to crawlers."""

    def items(self):
        root = self.get_wagtail_site().root_page
        return ProductPage.objects.visible().public().descendant_of(root, inclusive=True).order_by("path")


class PageSitemap(WagtailSitemap):
    """Every other live public page; product pages are ProductSitemap's, other types can be left out too."""

    def __init__(self, request=None, exclude=()):
        super().__init__(request)
        self.exclude = (ProductPage, *exclude)

    def items(self):
        pages = super().items()
        for page_type in self.exclude:
            pages = pages.not_type(page_type)
        return pages


class ProducerSitemap(DjangoSitemap):
    """Producers with a public page, i.e. with at least one visible product."""

    changefreq = "weekly"

    def items(self):
        listed = ProductPage.objects.visible().values("producer_id")
        return Producer.objects.filter(pk__in=listed).order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class CertificationSitemap(DjangoSitemap):
    """Every certification record: records stay public after they lapse, with their status."""

    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Certification.objects.order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
