"""Search's part of the JSON read API (config/api.py mounts it under /api/v1/): the product list.

It answers through the search contract, so /api/v1/products/ and /search/ always agree.
"""

from ninja import Field, Query, Router, Schema

from catalogue.api import PageOut, PageParams, ProductOut, page_of
from catalogue.models import prefetch_cards, prefetch_records

from .contract import search
from .query import SearchQuery

router = Router()


class ProductSearchParams(PageParams):
    """The search page's parameters (search.query.SearchQuery); bad filter values become messages."""

    q: str | None = None
    province: str | None = Field(None, description="Current or legacy province slug (legacy means its successor)")
    category: str | None = Field(None, description="Group or sub-group slug")
    stars: str | None = Field(None, description="Minimum stars: 3, 4 or 5")
    sample: str | None = Field(None, description="1: only products offering samples")
    responds: str | None = Field(
        None, description="1, 2 or 5: only producers whose median first reply takes at most that many working days"
    )
    quality: list[str] = Field(default_factory=list, description="Quality certification scheme; repeatable")
    sort: str | None = Field(
        None,
        description="relevance, stars, newest, name or responsive (fastest median reply first) "
        "(default: name, or relevance with q)",
    )


class FacetBucketOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class ProductFacetsOut(Schema):
    province: list[FacetBucketOut]
    category: list[FacetBucketOut]
    stars: list[FacetBucketOut]
    quality: list[FacetBucketOut]


class ProductSearchOut(PageOut):
    items: list[ProductOut]
    facets: ProductFacetsOut
    messages: list[str]


@router.get("/products/", response=ProductSearchOut, tags=["products"])
def list_products(request, params: Query[ProductSearchParams]):
    """The search contract behind /search/, with facet counts."""
    query_params = request.GET.copy()
    # Paging is the API's own scheme (catalogue.api.PageParams), already validated.
    for name in ("page", "page_size"):
        query_params.pop(name, None)
    if not query_params.get("sort") and not query_params.get("q"):
        query_params["sort"] = "name"
    query = SearchQuery.from_params(query_params, page_size=params.page_size)
    query.page = params.page
    result = search(query, past_the_end="empty")
    prefetch_cards(result.hits)
    prefetch_records(result.hits, query.on)
    return {
        **page_of(request, params, result.total),
        "items": result.hits,
        "facets": result.facets,
        "messages": result.messages,
    }
