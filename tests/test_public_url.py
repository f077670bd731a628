"""Absolute links name the configured public address, whatever Host (and port) a request arrived with."""

import json
import re

import pytest

from django.test import Client

from tests.factories import certified_product
from tests.sitemaps import sitemap_entries, sitemap_files
from tests.test_findable import Head

pytestmark = pytest.mark.django_db

PUBLIC = "https://ocop.example.vn"


@pytest.fixture
def odd_port(settings, site_tree):
    """A visitor that reached an allowed host on another port; the site is published at PUBLIC."""
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    index = site_tree[1]
    for n in range(2):
        certified_product(index, title=f"Nước mắm {n}", slug=f"nuoc-mam-{n}")
    return Client(HTTP_HOST="testserver:8443")


def _all_public(urls):
    urls = [url for url in urls if url]
    assert urls
    assert [url for url in urls if not url.startswith(PUBLIC + "/")] == []


def test_robots_txt_names_the_public_sitemap(odd_port):
    body = odd_port.get("/robots.txt").content.decode()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in body


def test_sitemap_index_and_sections_name_the_public_address(odd_port):
    _all_public(sitemap_files(odd_port))
    entries = sitemap_entries(odd_port)
    _all_public([loc for loc, _alternates in entries])
    _all_public([href for _loc, alternates in entries for href in alternates.values()])


def test_canonical_alternates_and_json_ld_name_the_public_address(odd_port):
    html = odd_port.get("/vi/products/nuoc-mam-0/").content.decode()
    head = Head(html)
    _all_public([head.canonical])
    _all_public(re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', html))
    blocks = json.dumps([json.loads(text) for text in head.json_ld])
    _all_public(re.findall(r'"(?:url|@id|item)": "([^"]+)"', blocks))
    # A page outside Wagtail too (its canonical comes from the request's path).
    _all_public([Head(odd_port.get("/vi/search/", {"q": "mam"}).content.decode()).canonical])


def test_api_paging_links_name_the_public_address(odd_port):
    body = odd_port.get("/api/v1/products/", {"page_size": 1}).json()
    _all_public([body["next"]])
    last = odd_port.get("/api/v1/products/", {"page_size": 1, "page": 2}).json()
    _all_public([last["previous"]])
