"""Demand recording: what a search and a page view leave behind, who is not counted, the 30-day fold."""

import datetime
import logging

import pytest
import time_machine

from django.db import DatabaseError
from django.utils import timezone

from marketplace.demand import folding
from marketplace.demand.models import AppearanceDay, PageViewDay, SearchDay, SearchEvent

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def search(client, q, **headers):
    return client.get("/vi/search/", {"q": q, "stars": "4"}, HTTP_USER_AGENT=headers.pop("agent", BROWSER), **headers)


def beacon(client, page, lang="en", **headers):
    return client.post(f"/beacon/?page={page.pk}&lang={lang}", HTTP_USER_AGENT=headers.pop("agent", BROWSER), **headers)


def test_a_search_keeps_its_folded_words_filters_and_results_and_nothing_personal(client, page_a, agency):
    client.force_login(agency)  # even a signed-in user is not named
    response = search(client, "Nước Mắm", REMOTE_ADDR="203.0.113.9", HTTP_COOKIE="tracking=1")
    assert response.status_code == 200
    row = SearchEvent.objects.get()
    stored = {f.attname: getattr(row, f.attname) for f in SearchEvent._meta.concrete_fields}
    assert set(stored) == {"id", "created_at", "language", "query", "filters", "results", "product_ids", "folded"}
    assert (row.language, row.query, row.filters, row.results) == ("vi", "nuoc mam", "stars=4", 1)
    assert row.product_ids == [page_a.pk]
    assert "203.0.113.9" not in repr(stored) and "tracking" not in repr(stored)


def test_crawlers_and_opted_out_browsers_are_not_counted(client, page_a):
    search(client, "nuoc mam", agent=GOOGLEBOT)
    search(client, "nuoc mam", HTTP_SEC_GPC="1")
    search(client, "nuoc mam", HTTP_DNT="1")
    search(client, "nuoc mam", agent="")
    assert SearchEvent.objects.count() == 0
    for headers in ({"agent": GOOGLEBOT}, {"HTTP_SEC_GPC": "1"}, {"HTTP_DNT": "1"}):
        assert beacon(client, page_a, **headers).status_code == 204
    assert PageViewDay.objects.count() == 0
    search(client, "nuoc mam")
    beacon(client, page_a)
    assert SearchEvent.objects.count() == 1 and PageViewDay.objects.get().views == 1


def test_the_beacon_counts_views_per_day_and_language_without_cookies_or_caching(client, page_a):
    for lang in ("en", "en", "vi"):
        response = beacon(client, page_a, lang=lang)
        assert response.status_code == 204
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies
    views = dict(PageViewDay.objects.values_list("language", "views"))
    assert views == {"en": 2, "vi": 1}
    row = PageViewDay.objects.first()
    assert {f.attname for f in PageViewDay._meta.concrete_fields} == {"id", "day", "page_id", "language", "views"}
    assert row.day == timezone.localdate() and row.page_id == page_a.pk


def test_the_beacon_ignores_bad_input_and_pages_that_are_not_counted(client, page_a, site_tree):
    home, _index = site_tree
    assert client.get(f"/beacon/?page={page_a.pk}&lang=en").status_code == 405
    for query in ("page=abc&lang=en", f"page={page_a.pk}&lang=xx", "page=999999999&lang=en", f"page={home.pk}&lang=en"):
        assert client.post(f"/beacon/?{query}", HTTP_USER_AGENT=BROWSER).status_code == 204
    assert PageViewDay.objects.count() == 0


def test_product_pages_carry_the_beacon_script_and_no_inline_script(client, page_a):
    html = client.get(page_a.url).content.decode()
    assert 'src="/static/js/beacon.js"' in html or "js/beacon" in html
    assert f'data-page="{page_a.pk}"' in html and 'data-beacon="/beacon/"' in html


def test_a_failing_recording_never_breaks_the_search_page(client, page_a, caplog, monkeypatch):
    def database_down(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(SearchEvent.objects, "bulk_create", database_down)
    with caplog.at_level(logging.ERROR):
        response = search(client, "nuoc mam")
    assert response.status_code == 200 and "Nước mắm" in response.content.decode()
    assert "Searches not recorded" in caplog.text
    assert SearchEvent.objects.count() == 0


def test_the_fold_makes_daily_figures_and_deletes_raw_searches_after_30_days(page_a):
    start = timezone.make_aware(datetime.datetime(2026, 3, 1, 10, 0))
    with time_machine.travel(start, tick=False):
        for q, results in (("nuoc mam", 1), ("nuoc mam", 1), ("sau rieng", 0)):
            SearchEvent.objects.create(
                language="vi", query=q, results=results, product_ids=[page_a.pk] if results else []
            )
        assert folding.fold() == (3, 0)
        assert folding.fold() == (0, 0)  # each raw search counts once
    figures = {q: (n, zero) for q, n, zero in SearchDay.objects.values_list("query", "searches", "zero_results")}
    assert figures == {"nuoc mam": (2, 0), "sau rieng": (1, 1)}
    assert AppearanceDay.objects.get(product_id=page_a.pk).appearances == 2
    with time_machine.travel(start + datetime.timedelta(days=29), tick=False):
        assert folding.fold() == (0, 0)
        assert SearchEvent.objects.count() == 3
    with time_machine.travel(start + datetime.timedelta(days=30, minutes=1), tick=False):
        assert folding.fold() == (0, 3)
    assert SearchEvent.objects.count() == 0
    assert SearchDay.objects.get(query="nuoc mam").searches == 2  # the figures stay
