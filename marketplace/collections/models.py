"""Curated collections: agency pages of products, hand-picked or defined by saved searches.

Nothing is stored about which products a rule matched: each render asks the search
contract (and THE visibility rule) again, so a product that stops being visible drops
out at once and a new one that matches appears with nobody acting.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page

from catalogue.caching import LISTING, SharedCachePage
from catalogue.models import EnglishIntro, ProductPage, prefetch_cards
from catalogue.restrictions import RestrictionsReadOnce
from search.contract import SearchQuery, search

MAX_PRODUCTS = 96


class ProductCollectionIndexPage(RestrictionsReadOnce, SharedCachePage, EnglishIntro, Page):
    """/collections/: every collection the agency publishes."""

    cache_seconds = LISTING

    parent_page_types = ["catalogue.HomePage"]
    subpage_types = ["marketplace.ProductCollectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("collection index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["collections"] = ProductCollectionPage.objects.child_of(self).live().public().specific()
        return context


class ProductCollectionPage(RestrictionsReadOnce, SharedCachePage, EnglishIntro, Page):
    # Saved searches pick its products: any product's change may show here.
    cache_seconds = LISTING
    max_products = models.PositiveSmallIntegerField(
        _("show at most"), default=48, help_text=_("Products shown, hand-picked ones first (at most 96).")
    )

    content_panels = [
        *EnglishIntro.content_panels,
        InlinePanel("items", label=_("Hand-picked products")),
        InlinePanel("rules", label=_("Saved searches")),
        FieldPanel("max_products"),
    ]
    parent_page_types = ["marketplace.ProductCollectionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("product collection")
        verbose_name_plural = _("product collections")

    @property
    def limit(self):
        return max(1, min(self.max_products or MAX_PRODUCTS, MAX_PRODUCTS))

    def products(self, on=None):
        """Hand-picked products that are visible today, then each saved search's hits, without repeats."""
        limit = self.limit
        picked = [item.product_id for item in self.items.all()]
        by_id = {p.pk: p for p in ProductPage.objects.visible(on).filter(pk__in=picked)}
        found = [by_id[pk] for pk in picked if pk in by_id]
        seen = set(by_id)
        for rule in self.rules.all():
            if len(found) >= limit:
                break
            query = rule.search_query(page_size=limit, on=on)
            if query.impossible:
                continue
            for hit in search(query).hits:
                if hit.pk not in seen:
                    seen.add(hit.pk)
                    found.append(hit)
        return prefetch_cards(found[:limit])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = self.products()
        return context


class CollectionItem(Orderable):
    page = ParentalKey(ProductCollectionPage, on_delete=models.CASCADE, related_name="items", verbose_name=_("page"))
    product = models.ForeignKey(ProductPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("product"))

    panels = [FieldPanel("product")]


def parse_params(text):
    """What follows the '?' of a search page address, or the parameters alone ("stars=5&province=an-giang")."""
    text = (text or "").strip()
    if "?" in text:
        text = urlsplit(text).query
    return QueryDict(text)


class CollectionRule(Orderable):
    """One saved search, in the search page's own parameters; the collection shows what any of them finds."""

    page = ParentalKey(ProductCollectionPage, on_delete=models.CASCADE, related_name="rules", verbose_name=_("page"))
    params = models.CharField(
        _("search"),
        max_length=500,
        help_text=_(
            "Copy the address of a search page, or its parameters, e.g. stars=5&province=an-giang "
            "or category=tea&quality=vietgap."
        ),
    )

    panels = [FieldPanel("params")]

    def search_query(self, page_size=MAX_PRODUCTS, on=None):
        params = parse_params(self.params).copy()
        params.pop("page", None)
        return SearchQuery.from_params(params, page_size=page_size, on=on)

    def clean(self):
        query = self.search_query()
        if query.messages or query.impossible:
            raise ValidationError({"params": " ".join(query.messages) or _("This search matches nothing.")})
        if not parse_params(self.params):
            raise ValidationError({"params": _("Give at least one search parameter.")})

    def __str__(self):
        return self.params
