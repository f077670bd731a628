"""Which collection pages show a product, for the shared proxy cache (catalogue.purging asks).

A hand-picked product shows on the collections that pick it; a saved search may find any
product, so every collection with one is purged too (there are few collections).
"""

from django.db.models import Q

from catalogue import purging

from .models import ProductCollectionPage


@purging.shows_products
def collections_showing(product_ids, producer_ids):
    pages = ProductCollectionPage.objects.filter(Q(items__product_id__in=product_ids) | Q(rules__isnull=False))
    paths = set()
    for page in pages.distinct().only("pk", "url_path", "path", "depth"):
        paths |= purging.page_addresses(page)
    return paths
