"""The page tree every install needs, built by `manage.py setup_site` and by the demo loader.

The home page (the default Site's root) and /products/ live here; the marketplace's wings
add their own index pages under the home page with `ensure_child`, since catalogue names
no app above it. Every function is idempotent: a page that exists is left as it is (the
agency may have edited its titles), so a second run creates nothing.
"""

from wagtail.models import Page, Site

from catalogue.models import HomePage, ProductIndexPage


def ensure_child(parent, model, **fields):
    """(page, created): the one page of `model` (its max_count is 1), added under `parent`
    with `fields` and published when there is none yet."""
    page = model.objects.first()
    if page is not None:
        return page, False
    page = parent.add_child(instance=model(**fields))
    page.save_revision().publish()
    return page, True


def ensure_home():
    """(home, created): a HomePage as the default Site's root."""
    # A flushed database (transactional tests) has no root at all; migrate leaves one.
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home, created = ensure_child(root, HomePage, title="OCOP Marketplace", slug="home-ocop")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="OCOP")
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's install page ("Welcome to your new Wagtail site!") has no place here.
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    return home, created


def ensure_product_index(home):
    """(index, created): /products/, where the decision importer puts new products."""
    return ensure_child(
        home,
        ProductIndexPage,
        title="Sản phẩm",
        title_en="Products",
        slug="products",
        intro="<p>Sản phẩm OCOP từ 3 sao trở lên, chứng nhận còn hiệu lực.</p>",
        intro_en="<p>OCOP products rated 3★ and above, with a valid certificate.</p>",
    )


def ensure_site():
    """(home, index): the home page as the default site root, and /products/ under it."""
    home, _created = ensure_home()
    index, _created = ensure_product_index(home)
    return home, index
