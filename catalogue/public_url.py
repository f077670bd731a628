"""Absolute links at the site's configured public address, never at the Host a request named.

A request may arrive at any port of an allowed host (or through a proxy that names its own),
and Wagtail's Site row may still read localhost; canonical links, sitemaps, robots.txt, the
API's paging links and structured data must all name the one address the site is published
at: settings.WAGTAILADMIN_BASE_URL, the setting e-mails already use.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings


def public_url(url):
    """`url` (a path, or an absolute URL at whatever host) at the configured scheme and host; None stays None."""
    if not url:
        return url
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    parts = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))
