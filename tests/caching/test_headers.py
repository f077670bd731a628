"""Anonymous pages are the same for everyone and say so (public, s-maxage, no cookie, no Vary:
Cookie); a logged-in visitor's, or one with messages, stay private; the buyer forms still work."""

import datetime
import re

import pytest

from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory
from django.utils import timezone

from catalogue.caching import BROWSER, DETAIL, LISTING, lifetime
from tests.caching.helpers import catalogue_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(site_tree):
    return catalogue_of(site_tree, 3)


def public_addresses(shop):
    product = shop["products"][0]
    record = product.certifications.get()
    paths = {
        "/": LISTING,
        "/products/": LISTING,
        f"/products/{product.slug}/": DETAIL,
        f"/producers/{shop['producer'].slug}/": DETAIL,
        f"/certifications/{record.pk}/": DETAIL,
        f"/fairs/{shop['fair'].slug}/": DETAIL,
        "/fairs/": LISTING,
        f"/collections/{shop['collection'].slug}/": LISTING,
        "/collections/": LISTING,
        "/search/?q=nuoc+mam": LISTING,
    }
    found = {f"/{language}{path}": seconds for path, seconds in paths.items() for language in ("vi", "en")}
    return found | {"/sitemap.xml": DETAIL, "/sitemap-products.xml": DETAIL}


def directives(response):
    return dict(
        (part.split("=") + [""])[:2] for part in (p.strip() for p in response["Cache-Control"].split(",")) if part
    )


def test_every_public_page_is_public_to_a_shared_cache_in_both_languages(shop):
    client = Client()
    for path, seconds in public_addresses(shop).items():
        response = client.get(path)
        assert response.status_code == 200, path
        cache = directives(response)
        browser, proxy = lifetime(seconds)
        assert "public" in cache and "private" not in cache, path
        assert 0 < int(cache["s-maxage"]) <= proxy and int(cache["max-age"]) <= min(BROWSER, proxy), path
        assert "cookie" not in response.get("Vary", "").lower(), path
        assert not response.cookies, path  # no session, messages or CSRF cookie
        assert b"csrfmiddlewaretoken" not in response.content, path
    assert not client.cookies


def test_listings_and_search_are_kept_a_minute_at_most(shop):
    for path in ("/vi/", "/en/products/", "/vi/search/?q=nuoc", f"/en/collections/{shop['collection'].slug}/"):
        assert int(directives(Client().get(path))["s-maxage"]) <= 60, path


def test_no_page_outlives_midnight_in_vietnam():
    just_before = datetime.datetime(2025, 3, 1, 23, 59, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    assert lifetime(DETAIL, just_before) == (30, 30)
    morning = just_before.replace(hour=8, minute=0, second=0)
    assert lifetime(DETAIL, morning) == (BROWSER, DETAIL)
    # 23:30 in Hanoi is 16:30 UTC: the bound follows the site's clock, not the server's.
    utc = datetime.datetime(2025, 3, 1, 16, 30, tzinfo=datetime.UTC)
    assert lifetime(DETAIL, utc) == (BROWSER, 1800)


def test_a_withdrawn_product_answers_410_publicly(shop):
    product = shop["products"][0]
    product.certifications.update(revoked_on=timezone.localdate(), revocation_reason="Vi phạm")
    response = Client().get(product.url)
    assert response.status_code == 410 and "public" in directives(response)


def test_a_logged_in_visitor_gets_private_pages(shop):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(shop["products"][0].url)
    cache = directives(response)
    assert "private" in cache and "public" not in cache and "s-maxage" not in cache
    assert "Cookie" in response["Vary"]


def test_a_page_carrying_messages_is_private(shop):
    client = Client()
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[CookieStorage.cookie_name] = storage._encode([Message(constants.SUCCESS, "Đã gửi")])
    response = client.get("/vi/")
    assert "Đã gửi" in response.content.decode()
    assert "private" in directives(response) and "public" not in directives(response)


def test_the_quotation_form_is_one_link_away_and_keeps_its_csrf_protection(shop):
    product = shop["products"][0]
    page = Client().get(product.url).content.decode()
    form_url = re.search(r'href="([^"]+)"[^>]*data-inquiry-form', page).group(1)
    assert form_url == f"/vi/inquiries/product/{product.pk}/"

    client = Client(enforce_csrf_checks=True)
    response = client.get(form_url)
    assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content
    assert "public" not in response.get("Cache-Control", "")
    # Without the token the form is refused, as before.
    assert client.post(form_url, {"name": "Anna"}).status_code == 403
