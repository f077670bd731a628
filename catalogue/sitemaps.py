"""Sitemap sections for what the catalogue shows: visible products, other pages, producers, records.

config/sitemaps.py puts these together with the marketplace's sections into /sitemap.xml.

Every address is listed once per language (/vi/… and /en/…), each entry naming all of them
and x-default (the unprefixed address, which redirects to the visitor's language) as
hreflang alternates. One mixin does it for the Wagtail and the Django sections alike, from
catalogue.languages, the same source as the pages' own alternates and switcher.
"""

from django.contrib.sitemaps import Sitemap as DjangoSitemap

from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from . import languages
from .models import Certification, Producer, ProductPage
from .public_url import public_url


class LanguageAlternates:
    """Each URL the section lists, in every language, with hreflang alternates."""

    # Items per sitemap page: each becomes one URL per language, within the 50,000 URLs a file may hold.
    limit = 50_000 // 2

    def get_urls(self, page=1, site=None, protocol=None):
        urls = []
        for info in super().get_urls(page=page, site=site, protocol=protocol):
            # Django's sections name the request's host, Wagtail's the Site row: both give way to the public address.
            info = {**info, "location": public_url(info["location"])}
            versions = languages.versions(info["location"])
            if not versions:
                urls.append(info)
                continue
            alternates = [{"location": v.url, "lang_code": v.code} for v in versions]
            alternates.append({"location": languages.neutral_url(info["location"]), "lang_code": "x-default"})
            urls.extend({**info, "location": v.url, "alternates": alternates} for v in versions)
        return urls


class ProductSitemap(LanguageAlternates, WagtailSitemap):
    """Visible product pages only: a hidden one answers 410 and must not be offered to crawlers."""

    def items(self):
        root = self.get_wagtail_site().root_page
        return ProductPage.objects.visible().public().descendant_of(root, inclusive=True).order_by("path")


class PageSitemap(LanguageAlternates, WagtailSitemap):
    """Every other live public page; product pages are ProductSitemap's, other types can be left out too."""

    def __init__(self, request=None, exclude=()):
        super().__init__(request)
        self.exclude = (ProductPage, *exclude)

    def items(self):
        pages = super().items()
        for page_type in self.exclude:
            pages = pages.not_type(page_type)
        return pages


class ProducerSitemap(LanguageAlternates, DjangoSitemap):
    """Producers with a public page, i.e. with at least one visible product."""

    changefreq = "weekly"

    def items(self):
        listed = ProductPage.objects.visible().values("producer_id")
        return Producer.objects.filter(pk__in=listed).order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class CertificationSitemap(LanguageAlternates, DjangoSitemap):
    """Every certification record: records stay public after they lapse, with their status."""

    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Certification.objects.order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at
