"""sitemap.xml: visible product pages, other live pages and public certification records."""

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.contrib.sitemaps.views import sitemap

from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from .models import Certification, Producer, ProductPage


class PageSitemap(WagtailSitemap):
    def items(self):
        hidden = ProductPage.objects.live().exclude(pk__in=ProductPage.objects.visible().values("pk"))
        return super().items().exclude(pk__in=hidden.values("pk"))


class ProducerSitemap(DjangoSitemap):
    changefreq = "weekly"

    def items(self):
        listed = ProductPage.objects.visible().values("producer_id")
        return Producer.objects.filter(pk__in=listed).order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class CertificationSitemap(DjangoSitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Certification.objects.order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


def sitemap_view(request):
    sitemaps = {"pages": PageSitemap(request), "producers": ProducerSitemap(), "records": CertificationSitemap()}
    return sitemap(request, sitemaps)
