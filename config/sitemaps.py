"""/sitemap.xml: an index of one file per section, from the catalogue and the marketplace
(only config may import both).

An index, because one file holds at most 50,000 URLs and the records alone (every OCOP
decision, in two languages) pass that: each section pages itself (?p=2, …) and the index
names every page of every section.
"""

import dataclasses

from django.contrib.sitemaps import views

from catalogue.caching import DETAIL, shared_cache
from catalogue.public_url import public_url
from catalogue.sitemaps import CertificationSitemap, PageSitemap, ProducerSitemap, ProductSitemap
from marketplace.fairs.models import FairPage
from marketplace.fairs.sitemaps import FairSitemap


def sections(request):
    return {
        "products": ProductSitemap(request),
        "fairs": FairSitemap(request),
        "pages": PageSitemap(request, exclude=[FairPage]),
        "producers": ProducerSitemap(),
        "records": CertificationSitemap(),
    }


@shared_cache(DETAIL)
def sitemap_index(request):
    response = views.index(request, sections(request), sitemap_url_name="sitemap-section")
    # Django names the host the request arrived at, any port included: the index names the public address.
    response.context_data["sitemaps"] = [
        dataclasses.replace(item, location=public_url(item.location)) for item in response.context_data["sitemaps"]
    ]
    return response


@shared_cache(DETAIL)
def sitemap_section(request, section):
    return views.sitemap(request, sections(request), section=section)
