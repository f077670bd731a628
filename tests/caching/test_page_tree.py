"""The page tree each process keeps between requests (catalogue.page_tree): the Site, the pages
routing passes through and the header's index links change on the next request after any
publication, unpublication, edit, move or deletion of a page or a change of a site."""

import pytest

from django.core.cache import cache
from django.db import transaction

from wagtail.models import Site

from catalogue.models.products import HOME_LISTS_KEY
from catalogue.page_tree import VERSION_KEY
from tests.factories import certified_product
from tests.marketplace.fair_helpers import fair_index

pytestmark = pytest.mark.django_db


def header_links(client, path="/vi/"):
    page = client.get(path).content.decode()
    return page[page.index('class="main-nav"') :].split("</nav>")[0]


def test_the_header_follows_an_index_page_published_and_unpublished(client, site_tree):
    home, _products = site_tree
    fairs = fair_index(home)
    assert fairs.url in header_links(client)
    fairs.unpublish()
    assert fairs.url not in header_links(client)
    fairs.save_revision().publish()
    assert fairs.url in header_links(client)


def test_an_index_page_deleted_is_neither_linked_nor_routed(client, site_tree):
    home, _products = site_tree
    fairs = fair_index(home)
    assert client.get(fairs.url).status_code == 200 and fairs.url in header_links(client)
    address = fairs.url
    fairs.delete()
    assert client.get(address).status_code == 404
    assert address not in header_links(client)


def test_an_index_page_moved_is_routed_and_linked_at_its_new_address(client, site_tree):
    home, products = site_tree
    product = certified_product(products, title="Nước mắm Cửa Khe", slug="nuoc-mam-cua-khe")
    assert client.get(product.url).status_code == 200
    products.slug = "san-pham"
    products.save_revision().publish()
    assert client.get("/vi/products/nuoc-mam-cua-khe/").status_code == 404
    assert client.get("/vi/san-pham/nuoc-mam-cua-khe/").status_code == 200
    assert 'href="/vi/san-pham/"' in header_links(client)


def test_an_index_page_unpublished_answers_404_until_published_again(client, site_tree):
    _home, products = site_tree
    assert client.get("/vi/products/").status_code == 200
    products.unpublish()
    assert client.get("/vi/products/").status_code == 404
    products.save_revision().publish()
    assert client.get("/vi/products/").status_code == 200


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_edit_published_shows_on_the_next_request(client, site_tree, language):
    home, products = site_tree
    assert client.get(f"/{language}/products/").status_code == 200
    products.intro = "<p>Mới nhất</p>"
    products.intro_en = "<p>Newest first</p>"
    products.save_revision().publish()
    home.headline = "Đặc sản ba miền"
    home.save_revision().publish()
    shown = {"vi": "Mới nhất", "en": "Newest first"}[language]
    assert shown in client.get(f"/{language}/products/").content.decode()
    assert "Đặc sản ba miền" in client.get(f"/{language}/").content.decode()


def test_a_site_given_another_root_serves_it(client, site_tree):
    home, products = site_tree
    assert client.get("/vi/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = products
    site.save()
    # /products/ is now the site's root: its listing answers at the site's top.
    assert client.get("/vi/").templates[0].name == "catalogue/product_index_page.html"


@pytest.mark.django_db(transaction=True)
def test_other_processes_read_again_once_the_change_commits(site_tree):
    """A process that read the tree while the change was not yet committed read the old one:
    the version changes again at the commit."""
    _home, products = site_tree
    with transaction.atomic():
        products.save_revision().publish()
        products.title = "Tất cả sản phẩm"
        products.save_revision().publish()
        during = cache.get(VERSION_KEY)
    assert cache.get(VERSION_KEY) not in (None, during)


@pytest.mark.django_db(transaction=True)
def test_the_home_lists_are_dropped_again_once_records_commit(site_tree):
    """Records saved in one transaction drop the home page's kept lists at once and, however many
    there are, once more at the commit: what another process kept in between is not served."""
    _home, products = site_tree
    with transaction.atomic():
        for n in range(3):
            certified_product(products, stars=5, slug=f"five-{n}")
        assert cache.get(HOME_LISTS_KEY) is None
        cache.set(HOME_LISTS_KEY, ([], 0))  # another process read before the commit
        waiting = [func for _savepoints, func, _robust in transaction.get_connection().run_on_commit]
        # Three records and three pages saved: one drop of the lists and one new version at the commit.
        assert [getattr(f, "__name__", None) for f in waiting].count("_drop_home_lists") == 1
        assert [getattr(f, "__name__", None) for f in waiting].count("_new_version") == 1
    assert cache.get(HOME_LISTS_KEY) is None
