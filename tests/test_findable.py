"""Findable: sitemap.xml, robots.txt, canonical URLs, JSON-LD and Open Graph tags, naming only visible things."""

import datetime
import html
import json
from html.parser import HTMLParser

import pytest
import wagtail_factories
from hypothesis import given, settings
from hypothesis import strategies as st

from django.core.cache import cache
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext

from catalogue.models import Certification, ProductImage
from catalogue.structured_data import plain
from marketplace.fairs.models import FairFeaturedProduct, FairPage
from tests.factories import ProducerFactory, certified_product
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair
from tests.sitemaps import sitemap_files, sitemap_locations

pytestmark = pytest.mark.django_db

# Absolute links name the configured public address (WAGTAILADMIN_BASE_URL in the test settings), not the Site row.
PUBLIC = "http://testserver"
HIDDEN_NAMES = ("Mật ong bạc hà đã thu hồi", "Miến dong hai sao")


class Head(HTMLParser):
    """The canonical link, the meta tags by property/name and the JSON-LD blocks of a page."""

    def __init__(self, html):
        super().__init__()
        self.canonical, self.meta, self.json_ld, self._in_ld = None, {}, [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def blocks(self):
        return [json.loads(text) for text in self.json_ld]

    def of_type(self, kind):
        return [b for b in self.blocks() if b["@type"] == kind]


def head(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    html = response.content.decode()
    parsed = Head(html)
    for text in parsed.json_ld:
        for name in HIDDEN_NAMES:
            assert name not in text, (url, name)
    return parsed


@pytest.fixture
def world(site_tree):
    home, index = site_tree
    producer = ProducerFactory(name="HTX Mật ong Bắc Hà", slug="htx-mat-ong-bac-ha", website="https://bacha.example.vn")
    listed = certified_product(
        index,
        stars=4,
        producer=producer,
        title="Mật ong hoa bạc hà",
        slug="mat-ong-hoa-bac-ha",
        hs_code="0409.00",
        price_min_vnd=250000,
        price_max_vnd=300000,
    )
    image = wagtail_factories.ImageFactory(title="Mật ong", file__width=1600, file__height=1000)
    ProductImage.objects.create(page=listed, image=image, sort_order=0)
    # Same producer, revoked today: hidden, and must not show up as a "related" product.
    revoked = certified_product(
        index, stars=5, producer=producer, revoked_on=timezone.localdate(), title=HIDDEN_NAMES[0], slug="thu-hoi"
    )
    hidden_producer = ProducerFactory(name="HTX Miến dong Bình Liêu", slug="htx-mien-dong")
    two_star = certified_product(index, stars=2, producer=hidden_producer, title=HIDDEN_NAMES[1], slug="hai-sao")
    fairs = fair_index(home)
    fair = make_fair(fairs, slug="hoi-cho-ocop-ha-noi", venue_address="91 Trần Hưng Đạo, Hoàn Kiếm")
    for product in (listed, revoked, two_star):
        FairFeaturedProduct.objects.create(page=fair, product=product)
    exhibit(fair, listed, products=[listed, revoked])
    draft_fair = make_fair(fairs, slug="hoi-cho-nhap", days_from_today=40)
    draft_fair.unpublish()
    return {
        "home": home,
        "listed": listed,
        "revoked": revoked,
        "two_star": two_star,
        "producer": producer,
        "hidden_producer": hidden_producer,
        "fair": fair,
        "draft_fair": draft_fair,
    }


def test_sitemap_lists_visible_products_producers_fairs_records_and_nothing_hidden(client, world):
    locations = set(sitemap_locations(client))
    base = "http://testserver"
    assert PUBLIC + world["listed"].url in locations
    assert PUBLIC + world["fair"].url in locations
    assert PUBLIC + world["home"].url in locations
    assert base + world["producer"].get_absolute_url() in locations
    for record in world["listed"].certifications.all():
        assert base + record.get_absolute_url() in locations
    # Records stay public after they lapse, so the revoked product's record is listed too.
    assert base + world["revoked"].certifications.get().get_absolute_url() in locations

    assert PUBLIC + world["revoked"].url not in locations
    assert PUBLIC + world["two_star"].url not in locations
    assert base + world["hidden_producer"].get_absolute_url() not in locations
    assert PUBLIC + FairPage.objects.get(pk=world["draft_fair"].pk).url not in locations
    # Each page once: fairs and products have their own sections, not the generic one as well.
    every = sitemap_locations(client)
    assert every.count(PUBLIC + world["fair"].url) == 1
    assert every.count(PUBLIC + world["listed"].url) == 1


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_points_to_the_sitemap(client, world):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for private in ("/admin/", "/vi/samples/", "/vi/inquiries/", "/vi/meetings/", "/payments/"):
        assert f"Disallow: {private}" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line in ("Disallow: /", "Disallow: /products/", "Disallow: /fairs/") for line in lines)


def test_disallowed_pages_also_say_noindex(client, world):
    assert client.get("/vi/inquiries/sourcing/")["X-Robots-Tag"] == "noindex, nofollow"
    assert client.get("/vi/samples/not-a-real-token/")["X-Robots-Tag"] == "noindex, nofollow"
    assert "X-Robots-Tag" not in client.get(world["listed"].url)
    assert "X-Robots-Tag" not in client.get("/robots.txt")


def test_canonical_urls(client, world):
    assert head(client, world["listed"].url).canonical == PUBLIC + world["listed"].url
    assert head(client, world["fair"].url).canonical == PUBLIC + world["fair"].url
    assert head(client, "/vi/").canonical == PUBLIC + world["home"].url
    producer_url = "http://testserver" + world["producer"].get_absolute_url()
    assert head(client, world["producer"].get_absolute_url(), utm_source="zalo").canonical == producer_url
    # Search keeps what it searched for and drops the campaign tags, in a stable order.
    tagged = {"q": "mật ong", "utm_source": "fb", "utm_medium": "cpc", "fbclid": "x1", "province": "ha-noi"}
    canonical = head(client, "/vi/search/", **tagged).canonical
    assert canonical == "http://testserver/vi/search/?province=ha-noi&q=m%E1%BA%ADt+ong"


def test_product_json_ld(client, world):
    page = head(client, world["listed"].url)
    [product] = page.of_type("Product")
    record = world["listed"].certifications.get()
    assert product["@context"] == "https://schema.org"
    assert product["name"] == "Mật ong hoa bạc hà"
    assert product["url"] == PUBLIC + world["listed"].url
    assert product["image"][0].startswith("http://testserver/media/")
    assert product["brand"]["name"] == "HTX Mật ong Bắc Hà"
    assert product["manufacturer"]["@type"] == "Organization"
    assert product["manufacturer"]["url"] == "http://testserver" + world["producer"].get_absolute_url()
    assert product["offers"] == {
        "@type": "AggregateOffer",
        "priceCurrency": "VND",
        "lowPrice": 250000,
        "highPrice": 300000,
        "url": PUBLIC + world["listed"].url,
    }
    certification = product["hasCertification"]
    assert certification["@type"] == "Certification"
    assert certification["certificationIdentification"] == record.decision_number
    assert certification["issuedBy"] == {"@type": "Organization", "name": record.issuing_body}
    assert certification["certificationRating"]["ratingValue"] == 4
    assert certification["validFrom"] == record.signed_on.isoformat()
    assert certification["expires"] == record.expires_on.isoformat()
    with translation.override("vi"):  # the page is served in Vietnamese, the default
        hs_code = gettext("HS code")
    assert {"@type": "PropertyValue", "name": hs_code, "value": "0409.00"} in product["additionalProperty"]
    [crumbs] = page.of_type("BreadcrumbList")
    items = crumbs["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    assert items[-1] == {"@type": "ListItem", "position": len(items), "name": product["name"], "item": product["url"]}


def test_a_single_price_is_an_offer(client, world):
    world["listed"].price_max_vnd = None
    world["listed"].save_revision().publish()
    [product] = head(client, world["listed"].url).of_type("Product")
    assert product["offers"] == {"@type": "Offer", "priceCurrency": "VND", "price": 250000, "url": product["url"]}


def test_producer_json_ld(client, world):
    page = head(client, world["producer"].get_absolute_url())
    [org] = page.of_type("Organization")
    assert org["name"] == "HTX Mật ong Bắc Hà"
    assert org["address"]["addressCountry"] == "VN"
    assert org["sameAs"] == ["https://bacha.example.vn"]
    [crumbs] = page.of_type("BreadcrumbList")
    assert crumbs["itemListElement"][-1]["name"] == "HTX Mật ong Bắc Hà"


def test_fair_json_ld_is_an_event_in_vietnam_time_with_only_visible_featured_products(client, world):
    fair = world["fair"]
    page = head(client, fair.url)
    [event] = page.of_type("Event")
    assert event["name"] == fair.title
    assert event["startDate"] == f"{fair.starts_on.isoformat()}T08:00:00+07:00"
    assert event["endDate"] == f"{fair.ends_on.isoformat()}T12:00:00+07:00"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["name"] == "Cung Văn hóa Hữu nghị"
    assert event["location"]["address"]["streetAddress"] == "91 Trần Hưng Đạo, Hoàn Kiếm"
    assert event["organizer"] == {"@type": "Organization", "name": "Trung tâm Xúc tiến Thương mại"}
    [featured] = page.of_type("ItemList")
    assert [item["url"] for item in featured["itemListElement"]] == [PUBLIC + world["listed"].url]
    [crumbs] = page.of_type("BreadcrumbList")
    assert [i["item"] for i in crumbs["itemListElement"]][-1] == PUBLIC + fair.url
    assert len(crumbs["itemListElement"]) == 3  # home, fairs, this fair


def test_hybrid_fair_has_a_place_and_a_virtual_location(client, world):
    fair = world["fair"]
    fair.attendance = FairPage.Attendance.HYBRID
    fair.livestream_url = "https://live.example.vn/hoi-cho"
    fair.save_revision().publish()
    [event] = head(client, fair.url).of_type("Event")
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in event["location"]] == ["Place", "VirtualLocation"]


def test_home_json_ld(client, world):
    page = head(client, "/vi/")
    [site] = page.of_type("WebSite")
    assert site["potentialAction"]["target"]["urlTemplate"] == "http://testserver/vi/search/?q={search_term_string}"
    [listing] = page.of_type("ItemList")
    assert PUBLIC + world["listed"].url in [item["url"] for item in listing["itemListElement"]]


def test_json_ld_cannot_close_its_script_element(client, world):
    world["listed"].title = "Mật ong </script><script>alert(1)</script> & co"
    world["listed"].save_revision().publish()
    html = client.get(world["listed"].url).content.decode()
    start = html.index('<script type="application/ld+json">')
    block = html[start : html.index("</script>", start)]
    assert "<script>alert" not in block
    assert "\\u003C/script\\u003E" in block
    [product] = Head(html).of_type("Product")
    assert product["name"] == "Mật ong </script><script>alert(1)</script> & co"


def test_open_graph_and_twitter_tags(client, world):
    meta = head(client, world["listed"].url).meta
    assert meta["og:title"] == ["Mật ong hoa bạc hà"]
    assert meta["og:url"] == [PUBLIC + world["listed"].url]
    assert meta["og:locale"] == ["vi_VN"]
    assert meta["og:locale:alternate"] == ["en_US"]
    assert meta["og:image"][0].startswith("http://testserver/media/images/")
    assert (meta["og:image:width"], meta["og:image:height"]) == (["1200"], ["630"])
    assert meta["twitter:card"] == ["summary_large_image"]
    assert "OCOP 4★" in meta["og:description"][0]
    # In English the locales swap.
    response = client.get(translate_url(world["fair"].url, "en"))
    meta = Head(response.content.decode()).meta
    assert meta["og:locale"] == ["en_US"]
    assert meta["og:locale:alternate"] == ["vi_VN"]
    assert meta["twitter:card"] == ["summary"]  # a fair has no image to show large
    assert meta["og:title"] == [world["fair"].title]


def test_a_product_page_whose_renditions_exist_writes_none_to_the_cache(client, world):
    # Wagtail's get_rendition writes the share image's rendition to the cache on every call, even
    # one prefetched with the page: a cache write on each uncached view of every product.
    client.get(world["listed"].url)  # the first view makes the renditions
    cache.clear()
    meta = head(client, world["listed"].url).meta
    assert meta["og:image"][0].startswith("http://testserver/media/images/")
    assert not [key for key in cache._cache if "rendition" in key]


def test_hidden_product_page_has_no_json_ld(client, world):
    response = client.get(world["revoked"].url)
    assert response.status_code == 410
    assert Head(response.content.decode()).json_ld == []


def test_fair_ends_today_still_an_event(client, world):
    fair = world["fair"]
    fair.starts_on = fair.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    fair.save_revision().publish()
    [event] = head(client, fair.url).of_type("Event")
    assert event["startDate"].endswith("+07:00")


def test_sitemap_is_an_index_whose_sections_page_themselves(client, world, monkeypatch):
    from catalogue.sitemaps import CertificationSitemap

    records = sorted(r.get_absolute_url() for r in Certification.objects.all())
    assert len(records) >= 3
    # Two records a file: the records section needs several files, all named by the index.
    monkeypatch.setattr(CertificationSitemap, "limit", 2)
    files = sitemap_files(client)
    pages = [f for f in files if "/sitemap-records.xml" in f]
    assert len(pages) == -(-len(records) // 2) and pages[1].endswith("?p=2")
    assert {f.split("/sitemap-")[1].split(".xml")[0] for f in files} == {
        "products",
        "fairs",
        "pages",
        "producers",
        "records",
    }
    listed = {loc.removeprefix("http://testserver") for loc in sitemap_locations(client)}
    assert set(records) <= listed
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-records.xml", {"p": "99"}).status_code == 404


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("aăâeêoơuưyđ AĂÂ<>&;\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")),
    chars=st.integers(min_value=1, max_value=12),
)
def test_plain_text_is_what_truncator_gives_with_or_without_its_walk(text, chars):
    """structured_data.plain skips Truncator for a text it would not cut: the same line, in NFC,
    for Vietnamese written with combining marks (as some provinces' files are) or without."""
    flat = " ".join(html.unescape(strip_tags(text)).split())
    assert plain(text, chars) == Truncator(flat).chars(chars)
