"""Every public page makes a bounded number of queries, whatever the number of products it lists:
the same budget holds with 3 products and with 30 (each listed on the producer's page, the fair
and the collection, and found by the search)."""

import pytest

from tests.caching.helpers import catalogue_of

pytestmark = pytest.mark.django_db

# What each page needs on this branch, exactly: a query added anywhere fails here, and raising a
# budget is a decision for the commit that needs it (docs/deploy.md, "What an uncached render costs").
BUDGETS = {
    "home": 6,
    "products": 4,
    "product": 11,
    "producer": 6,
    "record": 6,
    "fair": 12,
    "fairs": 4,
    "collection": 10,
    "collections": 4,
    "search": 7,
    "sitemap": 18,
    "sitemap-products": 3,
    "sitemap-records": 2,
    "sitemap-producers": 3,
    "sitemap-fairs": 3,
    "sitemap-pages": 8,
}


def addresses(shop):
    product = shop["products"][1]
    return {
        "home": "/vi/",
        "products": "/en/products/",
        "product": product.url,
        "producer": shop["producer"].get_absolute_url(),
        "record": product.certifications.get().get_absolute_url(),
        "fair": shop["fair"].url,
        "fairs": shop["fair"].get_parent().url,
        "collection": shop["collection"].url,
        "collections": shop["collection"].get_parent().url,
        "search": "/vi/search/?q=nuoc+mam",
        "sitemap": "/sitemap.xml",
        **{f"sitemap-{s}": f"/sitemap-{s}.xml" for s in ("products", "records", "producers", "fairs", "pages")},
    }


@pytest.mark.parametrize("listed", [3, 30])
def test_each_public_page_keeps_its_budget(client, site_tree, listed, django_assert_max_num_queries):
    shop = catalogue_of(site_tree, listed)
    for name, path in addresses(shop).items():
        client.get(path)  # the site's reference data (provinces, categories, sites) is cached per process
        with django_assert_max_num_queries(BUDGETS[name], info=name):
            response = client.get(path)
        assert response.status_code == 200, name
        if name in ("producer", "fair", "collection"):
            assert response.content.decode().count('class="card product-card"') >= listed, name
