"""Supply-demand matching: the producers whose visible products answer a sourcing request.

It asks the public search contract (the engine behind /search/), so a proposal never
includes a product the public could not see.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from search.contract import SearchQuery, search

MAX_PRODUCTS = 200


def search_params(inquiry, with_text=True):
    """The request's filters as /search/ parameters; the one place their names are spelled."""
    params = {}
    if with_text and inquiry.subject:
        params["q"] = inquiry.subject
    category = inquiry.category or (inquiry.product.category if inquiry.product_id else None)
    if category is not None:
        params["category"] = category.slug
    if inquiry.province_id:
        params["province"] = inquiry.province.slug
    if inquiry.min_stars:
        params["stars"] = str(inquiry.min_stars)
    if inquiry.quality:
        params["quality"] = [inquiry.quality]
    return params


@dataclass
class Proposal:
    producer: object
    products: list = field(default_factory=list)

    @property
    def best_stars(self):
        return max((getattr(p, "current_stars", 0) or 0 for p in self.products), default=0)


def propose(inquiry):
    """([Proposal], messages): producers grouped from the hits, best first.

    If the words of the request match nothing, the filters alone are tried and the screen says so.
    """
    messages = []
    result = search(SearchQuery.from_params(search_params(inquiry), page_size=MAX_PRODUCTS))
    if not result.hits and inquiry.subject:
        messages.append(
            gettext("No visible product matches “%(words)s”; showing products that match the filters alone.")
            % {"words": inquiry.subject}
        )
        result = search(SearchQuery.from_params(search_params(inquiry, with_text=False), page_size=MAX_PRODUCTS))
    messages += result.messages
    by_producer = {}
    for product in result.hits:
        proposal = by_producer.setdefault(product.producer_id, Proposal(product.producer))
        proposal.products.append(product)
    proposals = sorted(by_producer.values(), key=lambda p: (-len(p.products), -p.best_stars, p.producer.name))
    return proposals, messages, result.total
