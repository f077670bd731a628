"""In a real browser: the public pages and the Wagtail admin work under the Content-Security-Policy."""

import pytest

from marketplace.accounts.roles import setup_roles
from tests.factories import agency_user, certified_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # UserFactory's
# Collects what the browser refused, whatever the page's own scripts do.
WATCH = """
window.__refused = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__refused.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || ''));
});
"""


def refused(page):
    return page.evaluate("window.__refused") or []


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert refused(page) == [], url


def test_public_pages_and_admin_run_under_the_policy(page, live_server, site_tree):
    home, index = site_tree
    setup_roles(home, index)
    product = certified_product(index, title="Nước mắm Cửa Khe", slug="nuoc-mam-cua-khe", sample_available=True)
    agency_user(email="lan@xuctien.gov.vn")
    page.add_init_script(WATCH)
    console = []
    page.on("console", lambda message: console.append(message.text))

    for path in ("/", "/vi/products/", product.url, "/vi/search/?q=nuoc+mam", "/vi/verify/?q=nuoc"):
        visit(page, live_server.url + path)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "lan@xuctien.gov.vn")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    for path in (
        "/admin/",
        f"/admin/pages/{index.pk}/",
        f"/admin/pages/{product.pk}/edit/",
        "/admin/snippets/catalogue/producer/",
        "/admin/snippets/catalogue/certification/",
        "/admin/images/",
    ):
        visit(page, live_server.url + path)
    # The page editor's scripts ran: its rich-text editor and tabs are live.
    page.goto(f"{live_server.url}/admin/pages/{product.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-draftail-editor-wrapper], .Draftail-Editor").count() > 0
    assert refused(page) == []
    assert not [line for line in console if "Content Security Policy" in line]
