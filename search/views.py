"""The public search page and the search box's autocomplete endpoint."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from catalogue.caching import LISTING, shared_cache
from catalogue.models import prefetch_cards

from .contract import search, suggest
from .query import QUALITY_SCHEMES, RESPONDS, SORTS, STAR_CHOICES, SearchQuery

MAX_SUGGESTIONS = 10


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


@shared_cache(LISTING)
def search_page(request):
    query = SearchQuery.from_params(request.GET)
    result = search(query)
    prefetch_cards(result.hits, query.on)
    _add_links(query, result)
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
