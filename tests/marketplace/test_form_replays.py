"""What a replayed form gives away (issue 20, items 4 and 6): a one-time token or a fill-time stamp
posted again, by the same browser or by another, across the three buyer forms."""

import re
import time
import uuid

import pytest

from django.urls import reverse

from marketplace.fairs.models import MeetingRequest
from marketplace.inquiries.models import Inquiry
from marketplace.orders.models import SampleOrder
from marketplace.pipeline.forms import sign_started
from tests.marketplace.fair_helpers import exhibit, fair_index, make_fair, meeting_form
from tests.marketplace.inquiry_helpers import product_form, product_url, sourcing_form
from tests.marketplace.order_helpers import order_form, order_url

pytestmark = pytest.mark.django_db


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


@pytest.fixture
def stand(site_tree, sample_a):
    return exhibit(make_fair(fair_index(site_tree[0])), sample_a, booth="A01")


# --- The fill-time stamp is bound to its form and token -------------------------------------


def test_a_stamp_vouches_only_for_the_token_it_was_served_with(buyer, page_a, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    html = buyer.get(product_url(page_a)).content.decode()
    stamp, token = hidden(html, "started"), hidden(html, "form_token")
    # The stamp posted with a token of the bot's own: refused, what was typed kept.
    response = buyer.post(product_url(page_a), product_form(started=stamp, form_token=str(uuid.uuid4())))
    assert response.status_code == 200 and "expired or was altered" in response.content.decode()
    assert "Feinkost Schmidt GmbH" in response.content.decode()
    assert not Inquiry.objects.exists()
    # The form goes back with a stamp for the token it carries: sending it again works.
    again = response.context["form"].data
    assert again["started"] != stamp
    assert buyer.post(product_url(page_a), again).status_code == 302
    # And the stamp with the token it was served with, once.
    assert buyer.post(product_url(page_a), product_form(started=stamp, form_token=token)).status_code == 302
    assert Inquiry.objects.count() == 2


def test_a_stamp_of_one_form_is_refused_by_the_others(buyer, sample_a, da_nang, stand):
    token = str(uuid.uuid4())
    stamps = {kind: sign_started(kind, token, time.time() - 30) for kind in ("inquiry", "sample-order", "meeting")}
    posts = [
        (product_url(sample_a), product_form(form_token=token, started=stamps["sample-order"])),
        (reverse("inquiries:sourcing"), sourcing_form(form_token=token, started=stamps["inquiry"])),
        (order_url(sample_a), order_form(province=str(da_nang.pk), form_token=token, started=stamps["meeting"])),
        (
            reverse("fairs:meeting-request", args=[stand.pk]),
            meeting_form(stand, form_token=token, started=stamps["inquiry"]),
        ),
    ]
    for url, data in posts:
        response = buyer.post(url, data)
        assert response.status_code == 200 and "expired or was altered" in response.content.decode(), url
    assert not (Inquiry.objects.exists() or SampleOrder.objects.exists() or MeetingRequest.objects.exists())


def test_an_old_unbound_stamp_reads_as_altered_and_is_replaced(buyer, page_a):
    from django.core import signing

    from marketplace.pipeline.forms import STARTED_SALT

    old = signing.dumps(int(time.time() - 30), salt=STARTED_SALT)  # a stamp signed before this change
    response = buyer.post(product_url(page_a), product_form(started=old))
    assert response.status_code == 200 and "expired or was altered" in response.content.decode()
    assert response.context["form"].data["started"] != old


# --- A replayed form token never opens the first buyer's page -------------------------------

MALLORY = {
    "name": "Mallory Replay",
    "email": "mallory@example.org",
    "company": "Replay Ltd",
    "address_line": "1 Own Road",
}


def other_browser():
    from django.test import Client

    return Client(headers={"accept-language": "en"})


def forms_of_each_kind(sample_a, da_nang, stand):
    """(form URL, Alice's POST, the model, what of Alice's only her own pages may show) per buyer form."""
    alice = {"name": "Alice Firstbuyer", "company": "Alice Trading"}
    return [
        (order_url(sample_a), order_form(province=str(da_nang.pk), address_line="7 Secret Lane", **alice), SampleOrder),
        (product_url(sample_a), product_form(**alice), Inquiry),
        (reverse("inquiries:sourcing"), sourcing_form(**alice), Inquiry),
        (reverse("fairs:meeting-request", args=[stand.pk]), meeting_form(stand, **alice), MeetingRequest),
    ]


def test_a_replayed_form_token_gets_a_neutral_answer_in_another_browser(buyer, sample_a, da_nang, stand, settings):
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    for url, alice_form, model in forms_of_each_kind(sample_a, da_nang, stand):
        first = buyer.post(url, alice_form)
        assert first.status_code == 302, url
        row = model.objects.get(form_token=alice_form["form_token"])

        # Another browser posts Alice's token (and stamp) with its own entries.
        mallory = other_browser()
        replay = mallory.post(url, {**alice_form, **MALLORY})
        html = replay.content.decode()
        assert replay.status_code == 409 and "already sent" in html, url
        assert "Location" not in replay
        assert "Alice" not in html and "Secret Lane" not in html and row.reference not in html
        assert first["Location"] not in html
        assert "Mallory Replay" in html and "Replay Ltd" in html  # what it typed is kept
        again = replay.context["form"].data
        assert again["form_token"] != alice_form["form_token"]
        assert model.objects.filter(name="Mallory Replay").count() == 0
        # It can send its own with the new token and stamp the page carries.
        if model is MeetingRequest:
            again = {**again, "slot": stand.open_slots()[0][0].isoformat()}
        sent = mallory.post(url, again)
        assert sent.status_code == 302 and sent["Location"] != first["Location"], url
        assert model.objects.filter(name="Mallory Replay").count() == 1
        model.objects.filter(name="Mallory Replay").delete()

        # Alice's own browser sending again (the back button, a double click) is led to her page.
        resent = buyer.post(url, alice_form)
        assert resent.status_code == 302 and resent["Location"] == first["Location"], url
        assert model.objects.filter(name="Alice Firstbuyer").count() == 1
        model.objects.filter(name="Alice Firstbuyer").delete()


def test_private_pages_have_keys_of_their_own_never_the_form_token(buyer, sample_a, da_nang, stand):
    for url, alice_form, _model in forms_of_each_kind(sample_a, da_nang, stand):
        response = buyer.post(url, alice_form)
        assert response.status_code == 302
        token = alice_form["form_token"]
        assert token not in response["Location"], url
        # The page answers at its own key; the old form-token address leads nowhere.
        assert buyer.get(response["Location"]).status_code == 200
        guessed = response["Location"].rstrip("/").rsplit("/", 1)[0] + f"/{token}/"
        assert other_browser().get(guessed).status_code == 404, guessed
    meeting = MeetingRequest.objects.get()
    assert len(meeting.access_token) >= 43 and str(meeting.form_token) not in meeting.access_token
    erase = reverse("fairs:meeting-erase", args=[meeting.access_token])
    assert other_browser().get(erase).status_code == 200
    assert other_browser().get(reverse("fairs:meeting-erase", args=[str(meeting.form_token)])).status_code == 404


def test_form_pages_and_private_pages_are_never_cached(buyer, sample_a, da_nang, stand):
    def assert_private(response, what):
        cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert {"no-store", "private"} <= cache_control, (what, response.status_code, cache_control)

    for url, alice_form, _model in forms_of_each_kind(sample_a, da_nang, stand):
        assert_private(buyer.get(url), f"GET {url}")
        assert_private(buyer.post(url, {**alice_form, "email": "not an address"}), f"invalid POST {url}")
        sent = buyer.post(url, alice_form)
        assert_private(sent, f"POST {url}")
        assert_private(buyer.get(sent["Location"]), sent["Location"])
        assert_private(other_browser().post(url, alice_form), f"replayed POST {url}")
    meeting = MeetingRequest.objects.get()
    erase = reverse("fairs:meeting-erase", args=[meeting.access_token])
    assert_private(buyer.get(erase), erase)
    assert_private(buyer.post(erase), erase)
    assert_private(buyer.get(erase), "a spent erase link")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_browsers_racing_with_one_token_store_one_order_and_see_only_their_own(sample_a, da_nang, settings):
    """The race past `first_submitted` ends in `store_once`'s unique violation: neutral there too."""
    import threading

    from django.db import connections

    settings.INQUIRY_RATE_PER_IP = "1000/h"
    token = order_form()["form_token"]
    barrier = threading.Barrier(4, timeout=30)
    answers = {}

    def post(n):
        try:
            data = order_form(province=str(da_nang.pk), form_token=token, name=f"Racer {n}")
            browser = other_browser()
            barrier.wait()
            answers[n] = browser.post(order_url(sample_a), data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    order = SampleOrder.objects.get()
    statuses = sorted(response.status_code for response in answers.values())
    assert statuses == [302, 409, 409, 409]
    (winner,) = [n for n, response in answers.items() if response.status_code == 302]
    assert order.name == f"Racer {winner}" and order.access_token in answers[winner]["Location"]
    for n, response in answers.items():
        if n != winner:
            html = response.content.decode()
            assert order.access_token not in html and order.reference not in html and f"Racer {winner}" not in html
            assert f"Racer {n}" in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_existing_meeting_request_its_own_key(stand):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    for n, (start, end) in enumerate(stand.open_slots()[:3]):
        MeetingRequest.objects.create(
            exhibitor=stand,
            starts_at=start,
            ends_at=end,
            name=f"Buyer {n}",
            email=f"b{n}@example.org",
            country="FR",
            consent_at=start,
        )
    executor = MigrationExecutor(connection)
    executor.migrate([("marketplace", "0008_sample_order_erasure")])  # before meeting requests had keys
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("marketplace"))
    keys = list(MeetingRequest.objects.values_list("access_token", flat=True))
    assert len(keys) == 3 and len(set(keys)) == 3 and all(len(key) >= 43 for key in keys)
