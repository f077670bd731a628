"""In a real browser: the API's interactive docs load from the site itself and work under the policy."""

import pytest

from tests.factories import certified_product
from tests.test_browser_csp import WATCH, refused

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_load_from_the_site_with_nothing_refused(page, live_server, site_tree):
    certified_product(site_tree[1], title="Nước mắm Cửa Khe", slug="nuoc-mam-cua-khe")
    page.add_init_script(WATCH)
    elsewhere = []
    page.on(
        "request", lambda request: None if request.url.startswith(live_server.url) else elsewhere.append(request.url)
    )
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    page.goto(f"{live_server.url}/api/v1/docs")
    # Swagger UI ran: it fetched the schema and lists the operations.
    page.locator(".opblock").first.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")

    assert refused(page) == []
    assert elsewhere == [], "the docs page fetched from another site"
    assert failed == []
    assert page.locator(".opblock").count() >= 3
