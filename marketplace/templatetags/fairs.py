"""{% fair_appearances producer %} / {% fair_appearances product=page %}: the upcoming fairs where they exhibit;
{% index_urls as urls %}: the header's links to the products, the fairs and the collections."""

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from wagtail.models import Page, Site

from catalogue import page_tree
from catalogue.models import ProductIndexPage
from catalogue.restrictions import public_key, restricted_sections
from catalogue.statements import Statement
from marketplace.collections.models import ProductCollectionIndexPage
from marketplace.fairs.models import Exhibitor, FairIndexPage, FairPage

register = template.Library()


@register.inclusion_tag("marketplace/includes/fair_appearances.html", takes_context=True)
def fair_appearances(context, producer=None, product=None):
    if product is None and producer is None:
        return {"appearances": []}
    today = timezone.localdate()
    by, exhibiting = ("products", product) if product is not None else ("producer", producer)
    appearances = _APPEARANCES(exhibiting.pk, key=public_key(today, by), by=by, today=today)
    # With the request, {% pageurl %} uses the sites' root paths it holds (catalogue.page_tree),
    # not another read of the shared cache per fair.
    return {"appearances": appearances, "request": context.get("request")}


def _appearances(exhibiting, by, today):
    """The accepted exhibitors of upcoming published public fairs showing `exhibiting` (a product
    or a producer id, as `by` says), soonest first."""
    exhibitors = Exhibitor.objects.accepted().upcoming(today).filter(**{by: exhibiting})
    if restricted_sections():  # read once per request: without a private section no fair is private
        exhibitors = exhibitors.filter(fair__in=FairPage.objects.public().values("pk"))
    exhibitors = exhibitors.select_related("fair__province", "zone").order_by("fair__starts_on", "pk").distinct()
    # Only what the list shows (and the fair's address needs): a fair page row has some fifty columns.
    shown = ("booth", "fair__url_path", "fair__title", "fair__title_en", "fair__starts_on", "fair__ends_on")
    return exhibitors.only(*shown, "fair__province__name", "zone__name", "zone__name_en")


# Compiled once per process, day and set of private sections (catalogue.statements).
_APPEARANCES = Statement(_appearances)


@register.simple_tag(takes_context=True)
def index_urls(context):
    """{"products": …, "fairs": …, "collections": …}: the addresses of the three index pages (None
    for one not published), found in one query per process, language and version of the page
    tree (catalogue.page_tree: any change to a page reads them again)."""
    request = context.get("request")
    site = Site.find_for_request(request)
    found = page_tree.kept(("index urls", site and site.pk, get_language()), lambda: _index_urls(request))
    return _index_urls(request) if found is page_tree.NOT_KEPT else found


def _index_urls(request):
    kinds = {ProductIndexPage: "products", FairIndexPage: "fairs", ProductCollectionIndexPage: "collections"}
    # The address needs only the page's path in the tree: no specific page, no other column.
    pages = Page.objects.live().type(*kinds).only("url_path", "content_type")
    found = {kinds[page.specific_class]: page.get_url(request) for page in pages if page.specific_class in kinds}
    return {kind: found.get(kind) for kind in kinds.values()}
