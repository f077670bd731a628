"""The public search page and the search box's autocomplete endpoint."""

import logging
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control

from catalogue.caching import LISTING, shared_cache
from catalogue.models import prefetch_cards
from catalogue.text import words

from .contract import search, suggest
from .query import QUALITY_SCHEMES, RESPONDS, SORTS, STAR_CHOICES, SearchQuery
from .signals import search_performed

MAX_SUGGESTIONS = 10
logger = logging.getLogger(__name__)


def _link(query, **changes):
    return "?" + urlencode(query.as_params(**changes), doseq=True)


def _add_links(query, result):
    """Each facet bucket links to this search with that filter set (or cleared, if it is set)."""
    for facet in ("province", "category", "stars"):
        for bucket in result.facets[facet]:
            bucket.url = _link(query, **{facet: "" if bucket.selected else bucket.value, "page": ""})
    for bucket in result.facets["quality"]:
        chosen = query.qualities
        schemes = [s for s in chosen if s != bucket.value] if bucket.selected else [*chosen, bucket.value]
        bucket.url = _link(query, quality=schemes, page="")
    result.previous_url = _link(query, page=result.page - 1) if result.has_previous else ""
    result.next_url = _link(query, page=result.page + 1) if result.has_next else ""


def _announce(request, query, result):
    """Tell listeners (demand figures) what was searched; a listener's failure never fails the page."""
    filters = {k: v for k, v in query.as_params().items() if k not in ("q", "sort", "page")}
    try:
        search_performed.send_robust(
            sender=search_page,
            request=request,
            query=" ".join(words(query.q)),
            language=get_language() or "",
            filters=urlencode(sorted(filters.items()), doseq=True),
            results=result.total,
            product_ids=[hit.pk for hit in result.hits],
        )
    except Exception:  # send_robust already catches receivers; this guards building the arguments
        logger.exception("search_performed could not be sent")


@shared_cache(LISTING)
def search_page(request):
    query = SearchQuery.from_params(request.GET)
    result = search(query)
    prefetch_cards(result.hits)
    _add_links(query, result)
    _announce(request, query, result)
    context = {
        "query": query,
        "result": result,
        "sorts": SORTS,
        "star_choices": STAR_CHOICES,
        "quality_schemes": QUALITY_SCHEMES,
        "responds_choices": RESPONDS,
    }
    return render(request, "search/search.html", context)


@cache_control(max_age=60, public=True)
def autocomplete(request):
    query = SearchQuery.from_params({"q": request.GET.get("q", "")})
    pages = suggest(query.q, MAX_SUGGESTIONS)
    # The name in the visitor's language, as the result cards show it.
    suggestions = [{"title": page.localized_name, "url": page.get_url(request)} for page in pages]
    return JsonResponse({"suggestions": suggestions})
