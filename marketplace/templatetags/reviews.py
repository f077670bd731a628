"""{% product_reviews page %} / {% producer_reviews producer %}: the visible reviews of verified sample orders
with their averages, computed on every render (the page cache keeps the result until a purge)."""

from django import template

from marketplace.orders.reviews import SampleReview, shown, shown_for_product

register = template.Library()


def _context(figures_and_latest, show_product, request=None):
    figures, latest = figures_and_latest
    # The request lets {% pageurl %} use the sites' root paths the request already holds
    # (catalogue.page_tree); without it each product read them from the shared cache again.
    return {"figures": figures, "latest": latest, "show_product": show_product, "request": request}


@register.inclusion_tag("marketplace/includes/reviews.html")
def product_reviews(product):
    # The same reviews the page's JSON-LD summarised: read once.
    return _context(shown_for_product(product), show_product=False)


@register.inclusion_tag("marketplace/includes/reviews.html", takes_context=True)
def producer_reviews(context, producer):
    reviews = SampleReview.objects.of_producer(producer).of_listed_products().visible()
    # Each review names its product here: its address and its name in either language.
    named = ("order__product_title", "order__product__url_path", "order__product__title", "order__product__name_en")
    return _context(shown(reviews.select_related("order__product"), *named), True, context.get("request"))
