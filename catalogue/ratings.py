"""Buyers' ratings of a product, as the catalogue shows them (JSON-LD, API): a registry the marketplace fills.

The catalogue stores no rating: the marketplace computes them from the reviews of delivered
sample orders and registers its source here with `rates_products`, so the catalogue never
imports an app above it. Summaries count only reviews the public may see.
"""

import datetime
from dataclasses import dataclass, field

# Fewer reviews than this say too little: no aggregateRating is published for them.
MIN_REVIEWS = 3
BEST, WORST = 5, 1


@dataclass(frozen=True)
class PublicReview:
    """One review as the public sees it: no name, only where the buyer is and when they wrote."""

    rating: float
    author: str
    published: datetime.date
    body: str


@dataclass(frozen=True)
class RatingSummary:
    count: int
    quality: float
    packaging: float
    communication: float
    overall: float
    latest: list[PublicReview] = field(default_factory=list)

    @property
    def enough(self):
        """Enough reviews to publish the average to search engines."""
        return self.count >= MIN_REVIEWS


_sources = []


def rates_products(function):
    """Register `function(product) -> RatingSummary | None` (the marketplace's sample-order reviews)."""
    _sources.append(function)
    return function


def for_product(product):
    """The product's rating summary, or None when it has no visible review."""
    for source in _sources:
        summary = source(product)
        if summary is not None and summary.count:
            return summary
    return None
