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
