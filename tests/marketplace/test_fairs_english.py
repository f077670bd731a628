"""Fairs, zones and collections in the reader's language: the agency writes both in one form."""

import json
import re

import pytest

from django.urls import reverse
from django.utils import translation

from marketplace.collections.demo import ensure_collection_index
from marketplace.collections.models import ProductCollectionPage
from marketplace.fairs.demo import ensure_fair_index
from marketplace.fairs.models import FairZone
from tests.marketplace.fair_helpers import make_fair

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexes(site_tree):
    home, _products = site_tree
    return ensure_fair_index(home), ensure_collection_index(home)


@pytest.fixture
def fair(indexes):
    fair = make_fair(
        indexes[0],
        title_en="Hanoi OCOP Fair",
        description="<p>Ba trăm gian hàng.</p>",
        description_en="<p>Three hundred booths.</p>",
    )
    zone = fair.zones.get(kind=FairZone.Kind.FIVE_STAR)
    zone.name_en, zone.description_en, zone.description = "5★ zone", "National 5★ products", "Sản phẩm 5 sao"
    zone.save()
    return fair


def at(language, page):
    with translation.override(language):
        return page.url


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def event_name(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return next(b["name"] for b in map(json.loads, blocks) if b["@type"] == "Event")


def test_a_fair_reads_english_at_its_english_address(client, fair):
    english = html_of(client, at("en", fair))
    assert '<h1 lang="en">Hanoi OCOP Fair</h1>' in english
    assert "<title>Hanoi OCOP Fair · OCOP Marketplace</title>" in english
    assert "Three hundred booths." in english and "Ba trăm gian hàng." not in english
    assert "5★ zone" in english and "National 5★ products" in english
    assert event_name(english) == "Hanoi OCOP Fair"
    vietnamese = html_of(client, at("vi", fair))
    assert '<h1 lang="vi">Hội chợ OCOP thử nghiệm</h1>' in vietnamese
    assert "Ba trăm gian hàng." in vietnamese and "Three hundred booths." not in vietnamese
    assert "Khu 5 sao" in vietnamese and "5★ zone" not in vietnamese
    assert event_name(vietnamese) == "Hội chợ OCOP thử nghiệm"


def test_what_the_agency_left_untranslated_shows_in_vietnamese_marked_as_such(client, fair):
    english = html_of(client, at("en", fair))
    # The second zone has no English name: its Vietnamese name, with lang="vi" for screen readers.
    assert '<h3 lang="vi">Khu miền Bắc' in english
    fair.title_en = ""
    fair.save_revision().publish()
    assert '<h1 lang="vi">Hội chợ OCOP thử nghiệm</h1>' in html_of(client, at("en", fair))


def test_fair_lists_and_calendars_follow_the_language(client, fair, indexes):
    fairs_index = indexes[0]
    english_index = html_of(client, at("en", fairs_index))
    assert '<h1 lang="en">OCOP fairs</h1>' in english_index and "Hanoi OCOP Fair" in english_index
    assert '<h1 lang="vi">Hội chợ OCOP</h1>' in html_of(client, at("vi", fairs_index))
    with translation.override("en"):
        ics = client.get(reverse("fairs:fair-calendar", args=[fair.pk])).content.decode()
    assert "SUMMARY:Hanoi OCOP Fair" in ics


def test_a_collection_reads_english_at_its_english_address(client, indexes):
    index = indexes[1]
    collection = ProductCollectionPage(
        slug="qua-tet", title="Quà Tết", title_en="Tết gifts", intro="<p>Quà biếu.</p>", intro_en="<p>Gifts.</p>"
    )
    index.add_child(instance=collection)
    collection.save_revision().publish()
    english = html_of(client, at("en", collection))
    assert '<h1 lang="en">Tết gifts</h1>' in english and "Gifts." in english and "Quà biếu." not in english
    assert "Tết gifts" in html_of(client, at("en", index))
    assert '<h1 lang="vi">Quà Tết</h1>' in html_of(client, at("vi", collection))
