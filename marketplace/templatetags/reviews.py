"""{% product_reviews page %} / {% producer_reviews producer %}: the visible reviews of verified sample orders
with their averages, computed on every render (the page cache keeps the result until a purge)."""

from django import template

from marketplace.orders.reviews import SHOWN, SampleReview

register = template.Library()


def _context(reviews, show_product):
    reviews = reviews.visible()
    return {
        "figures": reviews.averages(),
        "latest": reviews.public_order().select_related("order__producer")[:SHOWN],
        "show_product": show_product,
    }


@register.inclusion_tag("marketplace/includes/reviews.html")
def product_reviews(product):
    return _context(SampleReview.objects.of_product(product), show_product=False)


@register.inclusion_tag("marketplace/includes/reviews.html")
def producer_reviews(producer):
    return _context(SampleReview.objects.of_producer(producer).of_listed_products(), show_product=True)
