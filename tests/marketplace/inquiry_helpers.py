"""What a buyer types into the inquiry forms, as POST data."""

import time
import uuid

import pytest

from django.core.cache import cache
from django.urls import reverse

from marketplace.inquiries.forms import ProductInquiryForm, SourcingRequestForm
from marketplace.pipeline.forms import sign_started


def stamped(data, form_class, started_at=None):
    """`data` with the fill-time stamp signed last, for its form and the token actually posted."""
    at = time.time() - 30 if started_at is None else started_at
    data.setdefault("started", sign_started(form_class.form_kind, data.get("form_token"), at))
    return {k: v for k, v in data.items() if v is not None}


def product_form(started_at=None, **overrides):
    data = {
        "name": "Anna Schmidt",
        "company": "Feinkost Schmidt GmbH",
        "email": "Anna@Feinkost.example.de",
        "phone": "+49 30 901820",
        "country": "DE",
        "quantity": "500",
        "unit": "bottle",
        "target_price": "2.5",
        "currency": "EUR",
        "incoterm": "FOB",
        "destination": "Hamburg",
        "wanted_by": "",
        "message": "Please quote 500 bottles, <b>labelled</b> in German.",
        "consent": "on",
        "website": "",
        "form_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return stamped(data, ProductInquiryForm, started_at)


def sourcing_form(started_at=None, **overrides):
    data = product_form(
        subject="nước mắm",
        message="We look for fish sauce producers able to export 2 containers a year.",
        unit="",
        quantity="",
        started=None,
    )
    data.update({"category_slug": "", "province_slug": "", "min_stars": "", "quality": ""})
    data.update(overrides)
    return stamped(data, SourcingRequestForm, started_at)


def product_url(page):
    return reverse("inquiries:product", args=[page.pk])


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # django-ratelimit counts in the cache; each test starts with none spent.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def buyer():
    """A visitor whose browser asks for English (the site defaults to Vietnamese)."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})


class FailingEmailBackend:
    """A mail server that is down: every send raises."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        import smtplib

        raise smtplib.SMTPServerDisconnected("mail server down")
