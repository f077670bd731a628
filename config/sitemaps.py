"""/sitemap.xml: every section, from the catalogue and the marketplace (only config may import both)."""

from django.contrib.sitemaps.views import sitemap

from catalogue.sitemaps import CertificationSitemap, PageSitemap, ProducerSitemap, ProductSitemap
from marketplace.fairs.models import FairPage
from marketplace.fairs.sitemaps import FairSitemap


def sitemap_view(request):
    sections = {
        "products": ProductSitemap(request),
        "fairs": FairSitemap(request),
        "pages": PageSitemap(request, exclude=[FairPage]),
        "producers": ProducerSitemap(),
        "records": CertificationSitemap(),
    }
    return sitemap(request, sections)
