"""Responsiveness, measured from inquiry threads: share answered and median first reply in working
hours, shown on producer and product pages, in the API and in search; computed on a thread's change
and nightly, never per page view."""

import datetime

import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalogue.models import Responsiveness
from catalogue.working_hours import TIMEZONE
from marketplace.inquiries import services
from marketplace.inquiries.models import Inquiry, InquiryMessage
from marketplace.inquiries.responsiveness import measure, refresh, refresh_all
from search.contract import search
from search.query import SearchQuery
from tests.marketplace.inquiry_helpers import product_form, product_url

pytestmark = pytest.mark.django_db

# Wednesday 18 March 2026, 10:00 in Hà Nội.
NOW = datetime.datetime(2026, 3, 18, 10, 0, tzinfo=TIMEZONE)


def at(*args):
    return datetime.datetime(*args, tzinfo=TIMEZONE)


def asked(producer, received, kind=Inquiry.Kind.PRODUCT, **fields):
    inquiry = Inquiry.objects.create(
        kind=kind,
        name="Anna Schmidt",
        email="anna@example.de",
        country="DE",
        product_title="Nước mắm",
        consent_at=received,
        created_at=received,
        **fields,
    )
    inquiry.recipients.set([producer])
    return inquiry


def answered(inquiry, user, when, producer=None, author=InquiryMessage.Author.PRODUCER):
    message = services.reply(inquiry, "Our quotation is attached.", user, producer=producer, author=author)
    # The reply was written then: its stored time moves, as an older thread's would be.
    InquiryMessage.objects.filter(pk=message.pk).update(created_at=when)
    return message


@pytest.fixture
def threads(producer_a, user_a, agency):
    """Five threads that count, one too young to count, one older than 180 days."""
    # Monday 9:00, answered 11:00: two working hours.
    answered(asked(producer_a, at(2026, 3, 16, 9)), user_a, at(2026, 3, 16, 11), producer_a)
    # Friday 16:00, answered Monday 9:00: one hour on Friday, one on Monday.
    answered(asked(producer_a, at(2026, 3, 13, 16)), user_a, at(2026, 3, 16, 9), producer_a)
    # Monday 9 March 9:00, answered Wednesday 9:00: two working days.
    answered(asked(producer_a, at(2026, 3, 9, 9)), user_a, at(2026, 3, 11, 9), producer_a)
    # Unanswered for exactly two working days: it counts against the producer.
    asked(producer_a, at(2026, 3, 16, 10))
    # Unanswered since yesterday morning: not yet due, not counted.
    asked(producer_a, at(2026, 3, 17, 9))
    # Only the agency answered, on the producer's behalf: not the producer's answer.
    answered(asked(producer_a, at(2026, 3, 2, 9)), agency, at(2026, 3, 2, 10), author=InquiryMessage.Author.AGENCY)
    # Outside the 180-day window.
    answered(asked(producer_a, NOW - datetime.timedelta(days=200)), user_a, NOW - datetime.timedelta(days=199))


def test_measure_counts_answered_buyers_and_the_median_in_working_minutes(threads, producer_a):
    assert measure(producer_a.pk, NOW) == (5, 3, 120)
    # A day later the young one is due too.
    assert measure(producer_a.pk, NOW + datetime.timedelta(days=1)) == (6, 3, 120)


def test_a_sourcing_request_counts_from_when_it_was_routed(producer_a, user_a):
    request = asked(producer_a, at(2026, 3, 2, 9), kind=Inquiry.Kind.SOURCING, routed_at=at(2026, 3, 16, 9))
    answered(request, user_a, at(2026, 3, 16, 10), producer_a)
    assert measure(producer_a.pk, NOW) == (1, 1, 60)


def test_pages_show_the_figures_in_both_languages(client, threads, producer_a, page_a):
    refresh([producer_a.pk], now=NOW)
    with translation.override("en"):
        producer_url, product_url_en = producer_a.get_absolute_url(), page_a.url
    with translation.override("vi"):
        producer_url_vi = producer_a.get_absolute_url()
    english = "Usually replies within a day · answered 3 of 5 buyers in the last 6 months"
    assert english in client.get(producer_url).content.decode()
    assert english in client.get(product_url_en).content.decode()
    vietnamese = client.get(producer_url_vi).content.decode()
    assert "Thường trả lời trong vòng một ngày · đã trả lời 3 trên 5 người mua trong 6 tháng qua" in vietnamese


def test_below_three_inquiries_the_producer_is_new(client, buyer, producer_a, page_a, user_a):
    buyer.post(product_url(page_a), product_form())
    with translation.override("en"):
        url = page_a.url
    assert "New on the marketplace" in client.get(url).content.decode()
    data = client.get(f"/api/v1/products/{page_a.slug}/", headers={"accept-language": "vi"}).json()
    assert data["producer"]["responsiveness"]["measured"] is False
    assert data["producer"]["responsiveness"]["summary"] == "Mới tham gia sàn"


def test_a_reply_in_the_inbox_updates_the_figures_and_the_search_at_once(client, buyer, page_a, page_b, user_a):
    for n in range(3):
        buyer.post(product_url(page_a), product_form(email=f"buyer{n}@example.de"))
    client.force_login(user_a)
    assert not search(SearchQuery.from_params({"responds": "1"})).hits
    for inquiry in Inquiry.objects.filter(product=page_a):
        client.post(reverse("marketplace_inquiry", args=[inquiry.pk]), {"body": "Quotation attached."})
    row = Responsiveness.objects.get(producer=page_a.producer)
    assert (row.inquiries, row.answered, row.within_days) == (3, 3, 1)
    # The search index follows the stored figures: the filter and the sort.
    assert [hit.pk for hit in search(SearchQuery.from_params({"responds": "1"})).hits] == [page_a.pk]
    assert [hit.pk for hit in search(SearchQuery.from_params({"sort": "responsive"})).hits] == [page_a.pk, page_b.pk]
    data = client.get(f"/api/v1/products/{page_a.slug}/").json()["producer"]["responsiveness"]
    assert data["measured"] is True and data["replies_within_days"] == 1 and data["answered"] == 3


def test_pages_never_compute_the_figures(client, threads, producer_a, page_a):
    refresh([producer_a.pk], now=NOW)
    with CaptureQueriesContext(connection) as queries:
        client.get(producer_a.get_absolute_url())
    assert not any("marketplace_inquiry" in q["sql"] for q in queries.captured_queries)


def test_nightly_run_moves_the_window_and_saves_only_changes(threads, producer_a):
    assert refresh_all(now=NOW) == [producer_a.pk]
    assert refresh_all(now=NOW) == []
    # A day on, the young unanswered inquiry counts; 200 days on, nothing is left in the window.
    assert refresh_all(now=NOW + datetime.timedelta(days=1)) == [producer_a.pk]
    assert Responsiveness.objects.get(pk=producer_a.pk).inquiries == 6
    refresh_all(now=NOW + datetime.timedelta(days=200))
    row = Responsiveness.objects.get(pk=producer_a.pk)
    assert (row.inquiries, row.answered, row.median_reply_minutes, row.measured) == (0, 0, None, False)
    call_command("measure_responsiveness")


def test_reassigning_measures_both_producers_again(threads, producer_a, producer_b, agency):
    refresh([producer_a.pk], now=NOW)
    computed = Responsiveness.objects.get(pk=producer_a.pk).computed_at
    unanswered = Inquiry.objects.get(recipients=producer_a, created_at=at(2026, 3, 16, 10))
    services.forward(unanswered, [producer_b])
    # The thread changed hands: both producers were measured again at once.
    assert Responsiveness.objects.get(pk=producer_a.pk).computed_at > computed
    assert Responsiveness.objects.filter(pk=producer_b.pk).exists()
    assert measure(producer_a.pk, NOW) == (4, 3, 120)
