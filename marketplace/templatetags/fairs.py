"""{% fair_appearances producer %} / {% fair_appearances product=page %}: the upcoming fairs where they exhibit;
{% trade_nav %}: the header's links to the fairs and the collections."""

from django import template

from wagtail.models import Page

from marketplace.collections.models import ProductCollectionIndexPage
from marketplace.fairs.models import Exhibitor, FairIndexPage, FairPage

register = template.Library()


@register.inclusion_tag("marketplace/includes/fair_appearances.html")
def fair_appearances(producer=None, product=None):
    exhibitors = Exhibitor.objects.accepted().upcoming().filter(fair__in=FairPage.objects.live().public().values("pk"))
    if product is not None:
        exhibitors = exhibitors.filter(products=product)
    elif producer is not None:
        exhibitors = exhibitors.filter(producer=producer)
    else:
        exhibitors = exhibitors.none()
    return {
        "appearances": exhibitors.select_related("fair__province", "zone").order_by("fair__starts_on", "pk").distinct()
    }


@register.inclusion_tag("marketplace/includes/trade_nav.html", takes_context=True)
def trade_nav(context):
    """The header's links to /fairs/ and /collections/, both found in one query."""
    request = context.get("request")
    pages = Page.objects.live().type(FairIndexPage, ProductCollectionIndexPage).specific(defer=True)
    found = {type(page): page.get_url(request) for page in pages}
    return {"fairs_url": found.get(FairIndexPage), "collections_url": found.get(ProductCollectionIndexPage)}
