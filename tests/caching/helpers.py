"""A catalogue of n products for the shared-cache tests: one producer, a fair, a collection."""

from marketplace.collections.demo import ensure_collection_index
from marketplace.collections.models import CollectionItem, ProductCollectionPage
from marketplace.fairs.models import FairFeaturedProduct
from tests.factories import ProducerFactory, certified_product
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair


def catalogue_of(site_tree, n):
    """n visible products of one producer, all shown at one fair and in one collection."""
    home, index = site_tree
    producer = ProducerFactory(name="HTX Cửa Khe", slug="htx-cua-khe")
    products = [
        certified_product(index, producer=producer, title=f"Nước mắm {i}", slug=f"nuoc-mam-{i}") for i in range(n)
    ]
    fair = make_fair(fair_index(home))
    exhibit(fair, products[0], products=products)
    for i, product in enumerate(products):
        FairFeaturedProduct.objects.create(page=fair, product=product, sort_order=i)
    collection = ProductCollectionPage(title="Nước mắm", slug="nuoc-mam")
    collection.items = [CollectionItem(product=p, sort_order=i) for i, p in enumerate(products)]
    ensure_collection_index(home).add_child(instance=collection)
    collection.save_revision().publish()
    return {"producer": producer, "products": products, "fair": fair, "collection": collection, "home": home}
