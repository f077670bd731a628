"""In a real browser: a producer edits its product and submits it; the agency approves and it goes live."""

import pytest

from catalogue.models import ProductPage
from marketplace.accounts.roles import setup_roles
from tests.factories import ProducerFactory, agency_user, certified_product, producer_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # UserFactory's


def log_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def open_more_actions(page):
    page.click("footer .w-dropdown__toggle")


def test_producer_submits_and_agency_approves(page, live_server, site_tree):
    home, index = site_tree
    setup_roles(home, index)
    own = ProducerFactory(name="HTX Nước mắm Cửa Khe", slug="htx-nuoc-mam-cua-khe")
    other = ProducerFactory(name="HTX Chè Tân Cương", slug="htx-che-tan-cuong")
    product = certified_product(index, producer=own, title="Nước mắm Cửa Khe", slug="nuoc-mam-cua-khe")
    theirs = certified_product(index, producer=other, title="Chè búp Tân Cương", slug="che-bup-tan-cuong")
    producer_user(own, email="hoa@cuakhe.vn")
    agency_user(email="lan@xuctien.gov.vn")

    log_in(page, live_server, "hoa@cuakhe.vn")
    # Only its own product in the explorer; the other producer's edit URL is not found.
    page.goto(f"{live_server.url}/admin/pages/{index.pk}/")
    assert page.locator("text=Nước mắm Cửa Khe").first.is_visible()
    assert page.locator("text=Chè búp Tân Cương").count() == 0
    assert page.goto(f"{live_server.url}/admin/pages/{theirs.pk}/edit/").status == 404
    assert page.locator("text=Chè búp Tân Cương").count() == 0

    page.goto(f"{live_server.url}/admin/pages/{product.pk}/edit/")
    page.fill("#id_capacity", "50.000 chai/năm")
    assert page.locator("button[name=action-publish]").count() == 0  # producers cannot publish
    open_more_actions(page)
    page.click("button[name=action-submit]")
    page.wait_for_load_state("networkidle")
    product.refresh_from_db()
    assert product.workflow_in_progress
    assert product.capacity == ""  # not live until the agency approves

    log_in(page, live_server, "lan@xuctien.gov.vn")
    page.goto(f"{live_server.url}/admin/pages/{product.pk}/edit/")
    open_more_actions(page)
    page.click("button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    page.wait_for_load_state("networkidle")
    product = ProductPage.objects.get(pk=product.pk)
    assert not product.workflow_in_progress
    assert product.live and product.capacity == "50.000 chai/năm"

    page.goto(f"{live_server.url}{product.url}")
    assert page.locator("text=Nước mắm Cửa Khe").first.is_visible()
