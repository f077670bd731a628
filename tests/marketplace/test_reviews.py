"""Verified reviews of samples: only a delivered order's buyer rates it, once; the producer replies on
its own products; the agency hides and shows with a history; the public pages escape the comment and
name no one; aggregateRating appears in the JSON-LD from three visible reviews."""

import datetime
import json
import re
import uuid

import pytest

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse, translate_url
from django.utils import timezone

from marketplace.orders import reviews, services
from marketplace.orders.demo import load_demo_orders, load_demo_reviews
from marketplace.orders.models import OrderNotification, OrderState, SampleOrder
from marketplace.orders.reviews import ReviewModeration, SampleReview
from marketplace.orders.states import IllegalTransition

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'


def placed(product, *, country="DE", language="en", email="anna@feinkost.example.de", name="Anna Schmidt"):
    """An order as the form stores it (the form itself is tested in test_orders.py)."""
    now = timezone.now()
    return SampleOrder.objects.create(
        form_token=uuid.uuid4(),
        product=product,
        product_title=product.title,
        producer=product.producer,
        quantity=1,
        unit_price_vnd=product.sample_price_vnd,
        shipping_fee_vnd=850_000,
        shipping_zone="Europe",
        total_vnd=product.sample_price_vnd + 850_000,
        name=name,
        company="Feinkost Schmidt GmbH",
        email=email,
        phone="+49 30 901820",
        language=language,
        country=country,
        city="Hamburg",
        postal_code="20095",
        address_line="Mönckebergstraße 7",
        consent_at=now,
        expires_at=now + datetime.timedelta(hours=72),
    )


def delivered(product, agency, **buyer):
    order = placed(product, **buyer)
    services.confirm_transfer(order, agency)
    services.ship(order, agency, "DHL", "JD0123456789")
    services.mark_delivered(order, agency)
    return order


def review_url(order, language="en"):
    return translate_url(reverse("orders:review", args=[order.access_token]), language)


def rate(client, order, quality=5, packaging=4, communication=3, comment="Fine sample.", language="en"):
    data = {"quality": quality, "packaging": packaging, "communication": communication, "comment": comment}
    return client.post(review_url(order, language), data)


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def product_ld(html):
    return next(block for block in json_ld(html) if block.get("@type") == "Product")


def test_the_delivered_buyer_is_invited_once_in_their_language(sample_a, agency, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://ocop.example.vn"
    order = placed(sample_a, language="vi", country="VN", email="mai@example.vn")
    services.confirm_transfer(order, agency)
    services.ship(order, agency, "VNPost EMS", "EE123456789VN")
    mail.outbox.clear()
    services.mark_delivered(order, agency)
    invitation = next(m for m in mail.outbox if m.to == ["mai@example.vn"])
    assert invitation.subject.endswith("đã được giao: hàng mẫu thế nào?")
    assert "Xin đánh giá chất lượng, đóng gói" in invitation.body
    assert f"https://ocop.example.vn/vi/samples/{order.access_token}/review/" in invitation.body
    # An order enters "delivered" once: a second attempt is refused and sends nothing.
    with pytest.raises(IllegalTransition):
        services.mark_delivered(order, agency)
    rows = OrderNotification.objects.filter(order=order, event=OrderState.DELIVERED, audience="buyer")
    assert rows.count() == 1
    assert [m.to for m in mail.outbox].count(["mai@example.vn"]) == 1

    english = delivered(sample_a, agency, email="anna@feinkost.example.de")
    sent = [m for m in mail.outbox if m.to == ["anna@feinkost.example.de"]]
    assert sent[-1].subject.endswith("was delivered: how was the sample?")
    assert f"/en/samples/{english.access_token}/review/" in sent[-1].body


def test_no_review_without_a_delivered_order(client, sample_a, agency):
    order = placed(sample_a)
    services.confirm_transfer(order, agency)
    response = client.get(review_url(order))
    assert response.status_code == 403
    assert "once its order is delivered" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert rate(client, order).status_code == 403
    assert not SampleReview.objects.exists()
    assert client.get("/en/samples/not-a-real-token/review/").status_code == 404
    assert client.post("/en/samples/not-a-real-token/review/", {}).status_code == 404


def test_one_review_per_order(client, sample_a, agency):
    order = delivered(sample_a, agency)
    page = client.get(review_url(order)).content.decode()
    assert 'name="quality"' in page
    assert "Rate this sample" in client.get(reverse("orders:detail", args=[order.access_token])).content.decode()
    response = rate(client, order)
    assert response.status_code == 302
    review = SampleReview.objects.get(order=order)
    assert (review.quality, review.packaging, review.communication, review.language) == (5, 4, 3, "en")
    again = rate(client, order, quality=1)
    assert again.status_code == 409 and "one review per order" in again.content.decode()
    assert SampleReview.objects.count() == 1 and SampleReview.objects.get().quality == 5
    shown = client.get(review_url(order)).content.decode()
    assert "You rated this sample" in shown and 'name="quality"' not in shown
    # Straight to the service too (a second tab posting the form it opened before the first sent).
    with pytest.raises(reviews.NotReviewable) as refused:
        reviews.write(order, {"quality": 1, "packaging": 1, "communication": 1, "comment": ""}, "en")
    assert refused.value.status == 409 and SampleReview.objects.count() == 1


def test_scores_out_of_range_are_form_errors(client, sample_a, agency):
    order = delivered(sample_a, agency)
    response = rate(client, order, quality=6, packaging="", communication="x", comment="kept")
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('class="field-errors"') == 3 and "kept" in page
    assert not SampleReview.objects.exists()


def test_hostile_comments_are_escaped_everywhere(client, sample_a, agency):
    orders = [delivered(sample_a, agency, email=f"b{n}@example.de") for n in range(3)]
    for order in orders:
        rate(client, order, comment=HOSTILE)
    review = SampleReview.objects.first()
    assert review.comment == HOSTILE  # stored as typed, escaped when shown
    pages = [
        client.get(sample_a.url).content.decode(),
        client.get(reverse("catalogue:producer", args=[sample_a.producer.slug])).content.decode(),
        client.get(review_url(orders[0])).content.decode(),
    ]
    client.force_login(agency)
    pages.append(client.get(reverse("marketplace_sample_review", args=[review.pk])).content.decode())
    pages.append(client.get(reverse("marketplace_sample_reviews")).content.decode())
    for html in pages:
        assert '<script>alert("x")' not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    # In the JSON-LD the text is plain and cannot close its script block.
    page = pages[0]
    raw = re.search(r'<script type="application/ld\+json">(\{"@context[^<]*"Product".*?)</script>', page, re.S)
    assert raw and "</script" not in raw.group(1) and "<" not in raw.group(1)
    bodies = [entry["reviewBody"] for entry in product_ld(page)["review"]]
    assert bodies and all("onerror" not in body for body in bodies)


def test_averages_come_from_visible_reviews_and_json_ld_waits_for_three(client, sample_a, agency):
    scores = [(5, 5, 5), (4, 4, 4), (3, 2, 1)]
    orders = [delivered(sample_a, agency, email=f"b{n}@example.de") for n in range(3)]
    rate(client, orders[0], *scores[0])
    rate(client, orders[1], *scores[1])
    page = client.get(sample_a.url).content.decode()
    assert "2 reviews" in page and "Verified sample order" in page
    assert "aggregateRating" not in product_ld(page)
    assert client.get(reverse("api-v1:get_product", args=[sample_a.slug])).json()["ratings"] == {
        "count": 2,
        "overall": 4.5,
        "quality": 4.5,
        "packaging": 4.5,
        "communication": 4.5,
        "published_to_search_engines": False,
    }

    rate(client, orders[2], *scores[2])
    data = product_ld(client.get(sample_a.url).content.decode())
    overall = round(sum(sum(s) for s in scores) / 9, 1)
    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": overall,
        "bestRating": 5,
        "worstRating": 1,
        "ratingCount": 3,
        "reviewCount": 3,
    }
    assert len(data["review"]) == 3 and {r["author"]["name"] for r in data["review"]} == {"Buyer from Germany"}
    api = client.get(reverse("api-v1:get_product", args=[sample_a.slug])).json()["ratings"]
    assert api["count"] == 3 and api["quality"] == 4.0 and api["published_to_search_engines"] is True

    # Hidden, a review leaves the averages, the page and the JSON-LD.
    reviews.moderate(SampleReview.objects.get(order=orders[2]), agency, hide=True, reason="Off topic")
    page = client.get(sample_a.url).content.decode()
    assert "aggregateRating" not in product_ld(page) and "2 reviews" in page
    assert client.get(reverse("api-v1:get_product", args=[sample_a.slug])).json()["ratings"]["count"] == 2


def test_averages_count_every_visible_review_beyond_those_listed(client, sample_a, agency):
    # The product page reads the latest SHOWN and the averages of all in one query (window
    # aggregates, computed before its LIMIT): the averages must not be those of the listed few.
    count = reviews.SHOWN + 2
    for n in range(count):
        order = delivered(sample_a, agency, email=f"many{n}@example.de")
        SampleReview.objects.create(order=order, quality=1 if n < 2 else 5, packaging=4, communication=3)
    hidden = SampleReview.objects.create(
        order=delivered(sample_a, agency, email="hidden@example.de"), quality=1, packaging=1, communication=1
    )
    reviews.moderate(hidden, agency, hide=True, reason="Off topic")
    sample_a.refresh_from_db()
    figures, latest = reviews.shown_for_product(sample_a)
    expected = SampleReview.objects.visible().of_product(sample_a).averages()
    assert figures["count"] == count == expected["count"] and len(latest) == reviews.SHOWN
    assert [float(figures[name]) for name in (*reviews.SCORES, "overall")] == pytest.approx(
        [float(expected[name]) for name in (*reviews.SCORES, "overall")]
    )
    assert float(figures["quality"]) == pytest.approx((2 * 1 + reviews.SHOWN * 5) / count)
    assert figures["quality"] == expected["quality"]  # of the type the aggregate gives (Decimal on PostgreSQL)
    data = product_ld(client.get(sample_a.url).content.decode())
    assert data["aggregateRating"]["ratingCount"] == count and len(data["review"]) == reviews.SHOWN


def test_the_producer_replies_only_on_reviews_of_its_own_products(client, sample_a, agency, user_a, user_b):
    order = delivered(sample_a, agency)
    rate(client, order, comment="Good.")
    review = SampleReview.objects.get()
    url = reverse("marketplace_sample_review", args=[review.pk])

    client.force_login(user_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "reply", "reply": "Not mine"}).status_code == 404
    assert "Good." not in client.get(reverse("marketplace_sample_reviews")).content.decode()

    client.force_login(agency)
    refused = client.post(url, {"action": "reply", "reply": "Agency words"}, follow=True)
    assert "Only the producer of this product replies" in refused.content.decode()
    review.refresh_from_db()
    assert review.reply == ""

    client.force_login(user_a)
    assert "Good." in client.get(reverse("marketplace_sample_reviews")).content.decode()
    too_long = client.post(url, {"action": "reply", "reply": "x" * 2001})
    assert too_long.status_code == 400
    client.post(url, {"action": "reply", "reply": "Cảm ơn! <b>Thanks</b>"})
    review.refresh_from_db()
    assert review.reply == "Cảm ơn! <b>Thanks</b>" and review.replied_by == user_a and review.replied_at
    client.logout()
    page = client.get(sample_a.url).content.decode()
    assert "Reply from" in page and "Cảm ơn! &lt;b&gt;Thanks&lt;/b&gt;" in page


def test_the_agency_hides_with_a_reason_and_shows_again_with_history(client, sample_a, agency, user_a):
    order = delivered(sample_a, agency)
    rate(client, order, comment="Insulting words here")
    review = SampleReview.objects.get()
    url = reverse("marketplace_sample_review", args=[review.pk])

    client.force_login(user_a)
    refused = client.post(url, {"action": "hide", "reason": "I dislike it"}, follow=True)
    assert "Only the agency moderates reviews" in refused.content.decode()
    assert 'value="hide"' not in refused.content.decode()  # no moderation form for the producer
    review.refresh_from_db()
    assert not review.hidden

    client.force_login(agency)
    missing = client.post(url, {"action": "hide", "reason": ""})
    assert missing.status_code == 400 and "error-message" in missing.content.decode()
    client.post(url, {"action": "hide", "reason": "Insults the producer's staff"})
    review.refresh_from_db()
    assert review.hidden
    client.logout()
    assert "Insulting words here" not in client.get(sample_a.url).content.decode()
    assert "Insulting words here" not in client.get(sample_a.producer.get_absolute_url()).content.decode()

    client.force_login(agency)
    again = client.post(url, {"action": "hide", "reason": "twice"}, follow=True)
    assert "Nothing changed" in again.content.decode()
    client.post(url, {"action": "show", "reason": "Checked with the buyer"})
    review.refresh_from_db()
    assert not review.hidden
    steps = list(ReviewModeration.objects.filter(review=review).values_list("action", "reason", "user"))
    assert steps == [
        ("hidden", "Insults the producer's staff", agency.pk),
        ("shown", "Checked with the buyer", agency.pk),
    ]
    history = client.get(url).content.decode()
    assert "Insults the producer&#x27;s staff" in history and "Shown again" in history
    client.logout()
    assert "Insulting words here" in client.get(sample_a.url).content.decode()


def test_after_erasure_the_review_stays_and_names_no_one(client, sample_a, agency, capsys):
    order = delivered(sample_a, agency, name="Anna Schmidt")
    rate(client, order, comment="Very good fish sauce.")
    SampleOrder.objects.filter(pk=order.pk).update(updated_at=timezone.now() - datetime.timedelta(days=800))
    call_command("erase_closed_inquiries")
    order.refresh_from_db()
    assert order.erased_at and order.name == ""
    page = client.get(sample_a.url).content.decode()
    month = timezone.localtime(SampleReview.objects.get().created_at).strftime("%B %Y")
    assert f"Verified sample order · buyer from Germany · {month}" in page
    assert "Very good fish sauce." in page and "Anna" not in page and "Schmidt" not in page


def test_public_pages_in_both_languages(client, sample_a, agency):
    order = delivered(sample_a, agency)
    rate(client, order, comment="Rất ngon")
    english = client.get(translate_url(sample_a.url, "en")).content.decode()
    assert "Reviews from verified sample orders" in english and "buyer from Germany" in english
    vietnamese = Client(headers={"accept-language": "vi"}).get(translate_url(sample_a.url, "vi")).content.decode()
    assert "Đánh giá từ các đơn hàng mẫu đã xác minh" in vietnamese and "người mua từ Đức" in vietnamese
    assert "Reviews from verified sample orders" not in vietnamese
    producer = Client().get(translate_url(sample_a.producer.get_absolute_url(), "vi")).content.decode()
    assert "Đánh giá từ các đơn hàng mẫu đã xác minh" in producer and "Rất ngon" in producer


def test_demo_reviews_give_one_product_its_aggregate_rating(client, sample_a, producer_a):
    load_demo_orders(producer_a)
    assert load_demo_reviews(producer_a) == 3
    assert load_demo_reviews(producer_a) == 0
    assert SampleReview.objects.visible().of_product(sample_a).count() == 3
    assert all(review.order.state == OrderState.DELIVERED for review in SampleReview.objects.all())
    data = product_ld(client.get(sample_a.url).content.decode())
    assert data["aggregateRating"]["ratingCount"] == 3


def test_review_and_fair_links_reuse_the_request_s_site_root_paths(client, site_tree, sample_a, agency, monkeypatch):
    """The reviews on a producer page and the fairs on a product page are inclusion tags: they
    hand the request on, so each {% pageurl %} uses the sites' root paths the request holds
    (catalogue.page_tree) instead of reading them from the shared cache once per linked page."""
    from django.core.cache import caches

    from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY

    from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair

    fair = make_fair(fair_index(site_tree[0]))
    exhibit(fair, sample_a)
    rate(client, delivered(sample_a, agency), comment="Rất ngon")
    links = [translate_url(fair.url, "vi"), translate_url(sample_a.url, "vi")]
    pages = [translate_url(sample_a.url, "vi"), translate_url(sample_a.producer.get_absolute_url(), "vi")]
    read = []
    default = caches["default"]
    original = default.get
    monkeypatch.setattr(default, "get", lambda key, *args, **kwargs: read.append(key) or original(key, *args, **kwargs))
    for address, link in zip(pages, links, strict=True):
        client.get(address)  # the first request after the changes reads the page tree again
        read.clear()
        assert f'href="{link}"' in client.get(address).content.decode()
        assert SITE_ROOT_PATHS_CACHE_KEY not in read, address
