"""A review appearing, hidden, shown again or answered purges its product's and producer's pages."""

import datetime
import uuid

import pytest

from django.contrib.auth.models import User
from django.utils import timezone

from marketplace.orders import reviews
from marketplace.orders.models import OrderState, SampleOrder
from tests.factories import ProducerFactory, certified_product

pytestmark = pytest.mark.django_db


def everywhere(path):
    return {f"/vi{path}", f"/en{path}", path}


@pytest.fixture
def order(site_tree):
    producer = ProducerFactory(name="HTX Cửa Khe", slug="htx-cua-khe")
    product = certified_product(site_tree[1], producer=producer, title="Nước mắm", slug="nuoc-mam")
    now = timezone.now()
    return SampleOrder.objects.create(
        form_token=uuid.uuid4(),
        state=OrderState.DELIVERED,
        product=product,
        product_title=product.title,
        producer=producer,
        quantity=1,
        unit_price_vnd=100_000,
        shipping_fee_vnd=35_000,
        shipping_zone="Domestic (Vietnam)",
        total_vnd=135_000,
        name="Mai",
        email="mai@example.vn",
        phone="0905123456",
        country="VN",
        address_line="12 Bạch Đằng",
        consent_at=now,
        expires_at=now + datetime.timedelta(hours=72),
    )


def test_each_review_change_purges_the_product_and_producer_pages(order, proxy, django_capture_on_commit_callbacks):
    agency = User.objects.create(username="agency")
    expected = everywhere("/products/nuoc-mam/") | everywhere("/producers/htx-cua-khe/")
    scores = {"quality": 5, "packaging": 4, "communication": 5, "comment": "Ngon"}
    changes = [
        lambda: reviews.write(order, scores, "vi"),
        lambda: reviews.moderate(order.review, agency, hide=True, reason="test"),
        lambda: reviews.moderate(order.review, agency, hide=False),
        lambda: reviews.save_reply(order.review, agency, "Cảm ơn"),
    ]
    for change in changes:
        proxy.purged.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        assert expected <= proxy.paths()
