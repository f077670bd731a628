"""What a buyer types into the sample-order form, and a product that offers samples."""

import time
import uuid

from django.urls import reverse

from marketplace.orders.forms import SampleOrderForm
from marketplace.pipeline.forms import sign_started
from tests.factories import certified_product


def sample_product(index, producer, **fields):
    values = {
        "title": "Nước mắm Cửa Khe",
        "slug": "nuoc-mam-cua-khe",
        "sample_available": True,
        "sample_price_vnd": 120_000,
        "sample_max_quantity": 3,
    }
    values.update(fields)
    return certified_product(index, producer=producer, **values)


def order_form(**overrides):
    data = {
        "quantity": "2",
        "name": "Nguyễn Thị Mai",
        "company": "Cửa hàng <Mai>",
        "email": "Mai@Example.vn",
        "phone": "0905 123 456",
        "country": "VN",
        "province": "",
        "commune": "hai chau",
        "address_line": "12 Bạch Đằng",
        "city": "",
        "postal_code": "",
        "currency": "VND",
        "consent": "on",
        "website": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    # Signed last: the stamp is valid only with the form's kind and the token actually posted.
    data.setdefault("started", sign_started(SampleOrderForm.form_kind, data.get("form_token"), time.time() - 30))
    return {k: v for k, v in data.items() if v is not None}


def abroad_form(**overrides):
    data = {
        "name": "Anna Schmidt",
        "email": "anna@feinkost.example.de",
        "phone": "+49 30 901820",
        "country": "DE",
        "commune": "",
        "city": "Hamburg",
        "postal_code": "20095",
        "address_line": "Mönckebergstraße 7",
        "currency": "USD",
    }
    data.update(overrides)
    return order_form(**data)


def order_url(product):
    return reverse("orders:order", args=[product.pk])


def detail_url(order):
    return reverse("orders:detail", args=[order.access_token])
