"""One page, two addresses: /vi/… and /en/…, old unprefixed addresses redirected, a switcher
that keeps the page and its query, and hreflang alternates in the pages and the sitemap."""

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import qrcode
import qrcode.image.svg

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import certified_product
from tests.sitemaps import sitemap_entries

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    """hreflang alternates of the head and the language switcher's links."""

    def __init__(self, html):
        super().__init__()
        self.alternates, self.switcher, self.html_lang = {}, {}, None
        self._in_switch = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "nav" and "language-switch" in (attrs.get("class") or ""):
            self._in_switch = True
        elif tag == "a" and self._in_switch:
            self.switcher[attrs["hreflang"]] = (attrs["href"], "aria-current" in attrs)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switch = False


@pytest.fixture
def tea(product_index):
    return certified_product(
        product_index, stars=4, title="Chè Shan tuyết Hà Giang", slug="che-shan-tuyet", name_en="Shan Tuyet tea"
    )


def links(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Links(response.content.decode())


def test_every_page_has_a_vietnamese_and_an_english_address(client, tea):
    vi = client.get("/vi/products/che-shan-tuyet/")
    en = client.get("/en/products/che-shan-tuyet/")
    assert vi.status_code == en.status_code == 200
    assert vi.context["page"].pk == en.context["page"].pk == tea.pk
    assert vi["Content-Language"] == "vi" and en["Content-Language"] == "en"
    assert '<html lang="vi"' in vi.content.decode() and '<html lang="en"' in en.content.decode()
    # The prefix decides, whatever the browser asks for.
    assert client.get("/vi/products/che-shan-tuyet/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "vi"
    with translation.override("en"):
        assert tea.url == "/en/products/che-shan-tuyet/"
        assert reverse("search:search") == "/en/search/"


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        ({}, "vi"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "vi-VN,vi;q=0.9,en;q=0.5"}, "vi"),
        ({"HTTP_ACCEPT_LANGUAGE": "de-DE"}, "vi"),
    ],
)
def test_old_unprefixed_addresses_redirect_to_the_visitors_language(client, tea, headers, language):
    for old in ("/", "/products/che-shan-tuyet/", "/search/?q=che&stars=4", "/verify/?q=che"):
        response = client.get(old, **headers)
        assert response.status_code == 302, old
        assert response["Location"] == f"/{language}{old}", old
        assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
        assert client.get(response["Location"]).status_code == 200


def test_the_language_cookie_wins_over_the_browser_for_an_old_address(client, tea):
    client.cookies["django_language"] = "en"
    assert client.get("/products/che-shan-tuyet/", HTTP_ACCEPT_LANGUAGE="vi")["Location"] == (
        "/en/products/che-shan-tuyet/"
    )


def test_addresses_outside_the_pages_keep_their_own_answers(client, tea):
    # Wagtail's page route would take /vi/api/… too; an unknown API or document address stays a 404 here.
    for path in ("/api/v1/no-such-endpoint/", "/api/v1/products/no-such-product/", "/documents/no-such-file/"):
        assert client.get(path).status_code == 404, path
    assert client.get("/admin/").status_code == 302
    assert "/vi/" not in client.get("/admin/")["Location"]
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/vi/no-such-page/").status_code == 404
    assert client.get("/en/no-such-page/").status_code == 404


def test_switcher_keeps_the_page_and_the_query(client, tea):
    page = links(client, "/vi/search/?q=ch%C3%A8&province=ha-giang&stars=4")
    assert page.switcher == {
        "vi": ("/vi/search/?q=ch%C3%A8&province=ha-giang&stars=4", True),
        "en": ("/en/search/?q=ch%C3%A8&province=ha-giang&stars=4", False),
    }
    product = links(client, "/en/products/che-shan-tuyet/")
    assert product.html_lang == "en"
    assert product.switcher == {
        "vi": ("/vi/products/che-shan-tuyet/", False),
        "en": ("/en/products/che-shan-tuyet/", True),
    }
    record = tea.certifications.get()
    on_record = links(client, f"/vi/certifications/{record.pk}/")
    assert on_record.switcher["en"] == (f"/en/certifications/{record.pk}/", False)
    # Following the switch shows the same product in English.
    english = client.get(links(client, tea.url).switcher["en"][0])
    assert english.status_code == 200 and "Shan Tuyet tea" in english.content.decode()


def test_pages_name_their_other_language_with_hreflang(client, tea):
    page = links(client, "/vi/products/che-shan-tuyet/?utm_source=zalo")
    # Absolute at the configured public address (not the Site row's), without the campaign tag.
    site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert page.alternates == {
        "vi": f"{site}/vi/products/che-shan-tuyet/",
        "en": f"{site}/en/products/che-shan-tuyet/",
        "x-default": f"{site}/products/che-shan-tuyet/",
    }
    search = links(client, "/en/search/?q=tea&fbclid=x")
    assert search.alternates == {
        "vi": "http://testserver/vi/search/?q=tea",
        "en": "http://testserver/en/search/?q=tea",
        "x-default": "http://testserver/search/?q=tea",
    }


def test_sitemap_lists_each_address_in_both_languages_with_alternates(client, tea):
    entries = dict(sitemap_entries(client))
    record = tea.certifications.get()
    for path in ("/products/che-shan-tuyet/", f"/certifications/{record.pk}/", f"/producers/{tea.producer.slug}/"):
        vi, en = ([loc for loc in entries if loc.endswith(f"/{code}{path}")] for code in ("vi", "en"))
        assert len(vi) == len(en) == 1, path
        assert entries[vi[0]] == entries[en[0]]
        assert entries[vi[0]]["vi"] == vi[0] and entries[vi[0]]["en"] == en[0]
        assert entries[vi[0]]["x-default"] == vi[0].replace(f"/vi{path}", path)
    # Every listed address carries a prefix; only x-default names the unprefixed one.
    assert all("/vi/" in loc or "/en/" in loc for loc in entries)


def test_record_qr_code_opens_the_record_in_the_scanners_language(client, tea):
    record = tea.certifications.get()
    expected = qrcode.make(
        f"http://testserver/certifications/{record.pk}/", image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    )
    buffer = io.BytesIO()
    expected.save(buffer)
    assert client.get(f"/en/certifications/{record.pk}/qr.svg").content == buffer.getvalue()
    assert client.get(f"/certifications/{record.pk}/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == (
        f"/en/certifications/{record.pk}/"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/vi/products/{slug}/",
        "/en/products/{slug}/?utm_source=zalo&q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm",
        "https://ocop.example.vn/vi/products/{slug}/",
        "/vi/search/?q=ch%C3%A8+th%C3%A1i+nguy%C3%AAn&province=thai-nguyen",
        "/en/records/{record}/",
        "/vi/products/{slug}/no-such-child/",
        "/vi/ch%C3%A8-shan-tuy%E1%BA%BFt/",
        "/vi/robots.txt",
        "/vi/products/{slug}",
        "/admin/",
    ],
)
def test_language_versions_are_what_django_translates_each_address_to(tea, url):
    """catalogue.languages.versions swaps the prefix of an address that resolves instead of
    resolving it and reversing it again per language: the same answers as translate_url."""
    from django.urls import translate_url

    from catalogue.languages import versions

    url = url.format(slug=tea.slug, record=tea.certifications.get().pk)
    found = [(version.code, version.url) for version in versions(url)]
    language = urlsplit(url).path.split("/")[1]
    if language not in dict(settings.LANGUAGES):
        assert found == []  # one version only: no switcher, no alternates
        return
    with translation.override(language):
        assert found == [(code, translate_url(url, code)) for code, _name in settings.LANGUAGES]
