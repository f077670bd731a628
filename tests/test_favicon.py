"""Browsers ask for /favicon.ico whatever the page links: it answers with the site's icon, not a 404."""

import pytest

from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_svg_icon_the_pages_link(client, site_tree):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    assert finders.find("img/favicon.svg")
    home = client.get("/vi/").content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in home
