"""Read the whole sitemap as a crawler does: /sitemap.xml is an index of section files."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def _xml(client, url):
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml"), url
    return ET.fromstring(response.content)  # noqa: S314 - our own response, not untrusted input


def sitemap_files(client):
    """The section files /sitemap.xml names, in order."""
    index = _xml(client, "/sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    return [loc.text for loc in index.findall("sm:sitemap/sm:loc", NS)]


def sitemap_entries(client):
    """[(loc, {hreflang: href})] of every <url> in every section file."""
    entries = []
    for file in sitemap_files(client):
        for url in _xml(client, file).findall("sm:url", NS):
            alternates = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
            entries.append((url.findtext("sm:loc", namespaces=NS), alternates))
    return entries


def sitemap_locations(client):
    return [loc for loc, _alternates in sitemap_entries(client)]
