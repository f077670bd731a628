"""In a real browser, with the demo loaded: the agency's and a producer's demand pages draw their
charts without JavaScript, axe finds no serious problem on them, and their screenshots are taken.

The screenshots go to bench-results/screenshots/; with SCREENSHOTS_DIR=docs/screenshots they
refresh the pictures docs/agency.md and docs/producers.md show.
"""

import pytest

from django.contrib.auth import get_user_model

from tests.page_tour import load_demo_site
from tests.test_browser_a11y import axe_problems
from tests.test_browser_screenshots import screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demand-screens-not-secret"  # noqa: S105 (a test database's throwaway login)
LOGINS = {"agency": "agency@ocop.example.vn", "producer": "producer@ocop.example.vn"}


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as a script, which the admin's CSP would refuse; only this test tooling bypasses it.
    return {**browser_context_args, "bypass_csp": True, "java_script_enabled": True}


def log_in(page, live_server, email, language):
    page.context.clear_cookies()
    page.context.set_extra_http_headers({"Accept-Language": language})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


# Over 10 s: the demo (three months of activity), then two admin pages with axe and full-page screenshots.
def test_demand_pages_show_charts_pass_axe_and_are_captured(page, live_server, site_tree):
    load_demo_site()
    for email in LOGINS.values():
        user = get_user_model().objects.get(email=email)
        user.set_password(PASSWORD)
        user.save()
    page.set_viewport_size({"width": 1280, "height": 900})
    folder = screenshot_dir()
    problems = []
    for who, path, language in (("agency", "/admin/demand/", "en"), ("producer", "/admin/demand/mine/", "vi")):
        log_in(page, live_server, LOGINS[who], language)
        response = page.goto(live_server.url + path)
        assert response.status == 200, who
        assert page.locator("figure.ocop-chart svg").count() >= 5, who
        assert page.locator("figure.ocop-chart details table").count() >= 5, who
        problems += [f"{who}: {p}" for p in axe_problems(page)]
        # The admin scrolls inside its own frame, not the document: a tall window shows the whole page.
        page.set_viewport_size({"width": 1280, "height": 2600})
        target = folder / f"demand-{who}-{language}.png"
        page.screenshot(path=str(target))
        page.set_viewport_size({"width": 1280, "height": 900})
        assert target.read_bytes().startswith(b"\x89PNG"), who
    assert problems == []
