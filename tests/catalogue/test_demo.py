"""`manage.py load_demo`: a realistic catalogue, loaded twice without duplicates."""

import datetime

import pytest
from bs4 import BeautifulSoup

from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import translation

from catalogue.models import Certification, Producer, ProductPage

pytestmark = pytest.mark.django_db

MERGER_DAY = datetime.date(2025, 7, 1)


# Over 10 s: the whole demo loads twice, since idempotence is what this test checks.
def test_demo_catalogue_loads_twice_without_duplicates(site_tree, capsys):
    with translation.override("en"):  # the summary line is read in English below
        call_command("load_demo")
    first = (Producer.objects.count(), ProductPage.objects.count(), Certification.objects.count())
    out = capsys.readouterr().out
    assert "products visible" in out.replace("of", "").replace("  ", " ") or "visible" in out

    with translation.override("en"):
        call_command("load_demo")
    assert (Producer.objects.count(), ProductPage.objects.count(), Certification.objects.count()) == first
    assert "0 producers, 0 products and 0 records created" in capsys.readouterr().out
    assert ProductPage.objects.values("slug").annotate(n=Count("pk")).filter(n__gt=1).count() == 0

    visible = ProductPage.objects.visible()
    assert visible.count() >= 60
    assert visible.values("province").distinct().count() >= 15
    groups = {p.category.code.split(".")[0] for p in visible.select_related("category")}
    assert groups == {"1", "2", "3", "4", "5", "6"}
    assert {3, 4, 5} <= set(visible.values_list("current_stars", flat=True))
    assert all(p.name_en for p in visible)
    assert all(p.gallery_images.exists() for p in visible)

    hidden = ProductPage.objects.live().exclude(pk__in=visible.values("pk"))
    assert hidden.count() >= 5
    # Each way of losing the listing is represented.
    latest = [p.certifications.order_by("-signed_on").first() for p in hidden]
    assert any(r.stars < 3 for r in latest)
    assert any(r.status == "expired" for r in latest)
    assert any(r.status == "revoked" for r in latest)

    # Decisions signed before the merger keep the province as issued.
    for record in Certification.objects.select_related("legacy_province__successor", "product__province"):
        if record.signed_on < MERGER_DAY:
            assert record.legacy_province is not None, record
            assert record.legacy_province.successor == record.product.province, record
        else:
            assert record.legacy_province is None, record


# Over 10 s: the whole demo catalogue is the point (its English names against the real ranking).
def test_an_english_visitor_finds_the_demo_fish_sauces_under_their_english_names(site_tree, client):
    call_command("load_demo", verbosity=0)
    fish_sauces = {p.name_en for p in ProductPage.objects.visible() if p.title.startswith("Nước mắm")}
    assert len(fish_sauces) >= 3 and all("fish sauce" in name for name in fish_sauces)
    with translation.override("en"):
        url = reverse("search:search")
    for q in ("fish sauce", "Fish Sauces"):
        html = client.get(url, {"q": q}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        soup = BeautifulSoup(html, "html.parser")
        assert soup.html["lang"] == "en"
        ranked = [h.get_text(strip=True) for h in soup.select(".results .card-title")]
        # The fish sauces first, by name; other liquid condiments of their product group after them.
        assert set(ranked[: len(fish_sauces)]) == fish_sauces, (q, ranked)
