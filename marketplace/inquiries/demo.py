"""Demo inquiries for `load_demo`: a few in the demo producer's inbox and one sourcing request to route.

Each has a fixed form token, so loading twice creates nothing new; no email is sent for them.
"""

import datetime
import random
import uuid

from django.utils import timezone

from catalogue.models import Category, ProductPage

from .models import Inquiry, InquiryMessage

NAMESPACE = uuid.UUID("6f1c2a52-8d7e-4c43-9a55-0c0de0000010")

DEMO = [
    {
        "key": "rfq-hamburg",
        "name": "Anna Schmidt",
        "company": "Feinkost Schmidt GmbH",
        "email": "anna.schmidt@example.de",
        "phone": "+4930901820",
        "country": "DE",
        "language": "en",
        "quantity": 600,
        "incoterm": "FOB",
        "target_price": 2.4,
        "currency": "EUR",
        "destination": "Hamburg",
        "message": "We import Vietnamese specialities for delicatessen shops. Please quote FOB with lead time.",
        "days_ago": 2,
    },
    {
        "key": "rfq-osaka",
        "name": "Kenji Tanaka",
        "company": "Tanaka Trading Co.",
        "email": "k.tanaka@example.jp",
        "phone": "+81663450000",
        "country": "JP",
        "language": "en",
        "quantity": 20,
        "incoterm": "CIF",
        "destination": "Osaka",
        "message": "Could we order a small trial shipment first? Labels in Japanese would be needed later.",
        "days_ago": 6,
        "reply": "Yes, a trial order of 20 is possible at the sample price; we can print Japanese labels "
        "from the second shipment. Lead time 3 weeks.",
    },
]

SOURCING = {
    "key": "sourcing-tea",
    "name": "Claire Martin",
    "company": "Maison du Thé",
    "email": "claire.martin@example.fr",
    "country": "FR",
    "language": "en",
    "subject": "chè",
    "message": "Looking for OCOP green tea producers, 4★ or better, able to ship 500 kg a quarter to Le Havre.",
    "incoterm": "CIF",
    "destination": "Le Havre",
    "min_stars": 4,
    "days_ago": 1,
}


def _token(key):
    return uuid.uuid5(NAMESPACE, key)


def load_demo_inquiries(producer):
    """Returns how many demo inquiries were created (0 on a second run)."""
    created = 0
    product = ProductPage.objects.visible().filter(producer=producer).order_by("pk").first()
    if product is not None:
        for entry in DEMO:
            entry = dict(entry)
            token = _token(entry.pop("key"))
            if Inquiry.objects.filter(form_token=token).exists():
                continue
            reply = entry.pop("reply", None)
            when = timezone.now() - datetime.timedelta(days=entry.pop("days_ago"))
            inquiry = Inquiry.objects.create(
                form_token=token,
                product=product,
                product_title=product.title,
                unit=product.moq_unit or "piece",
                below_moq=bool(product.moq_quantity and entry["quantity"] < product.moq_quantity),
                consent_at=when,
                created_at=when,
                status=Inquiry.Status.REPLIED if reply else Inquiry.Status.NEW,
                **entry,
            )
            inquiry.recipients.set([producer])
            if reply:
                InquiryMessage.objects.create(
                    inquiry=inquiry,
                    author=InquiryMessage.Author.PRODUCER,
                    producer=producer,
                    body=reply,
                    created_at=when + datetime.timedelta(hours=5),
                )
            created += 1
    if not Inquiry.objects.filter(form_token=_token(SOURCING["key"])).exists():
        entry = dict(SOURCING)
        when = timezone.now() - datetime.timedelta(days=entry.pop("days_ago"))
        entry.pop("key")
        Inquiry.objects.create(
            form_token=_token(SOURCING["key"]),
            kind=Inquiry.Kind.SOURCING,
            category=Category.objects.filter(code="1.5").first(),
            consent_at=when,
            created_at=when,
            **entry,
        )
        created += 1
    return created


# Three months of buyers' inquiries for the demand figures: generated from a fixed seed, so
# every run makes the same history; marked by the buyers' e-mail domain, so a second run adds none.
HISTORY_DOMAIN = "buyers.demo.example"
HISTORY_COUNTRIES = ["VN"] * 6 + ["DE", "DE", "JP", "JP", "US", "FR", "KR", "SG", "NL", "AU", "CN"]


def load_demo_inquiry_history(seed=24, days=90, count=240):
    """Returns how many inquiries were created (0 on a second run)."""
    if Inquiry.objects.filter(email__endswith="@" + HISTORY_DOMAIN).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    products = list(ProductPage.objects.visible().order_by("pk")[:80])
    if not products:
        return 0
    weights = [1 + (i % 7 == 0) * 6 + (i % 3 == 0) * 2 for i in range(len(products))]  # a few sought-after products
    now = timezone.now()
    for number in range(count):
        product = rng.choices(products, weights)[0]
        country = rng.choice(HISTORY_COUNTRIES)
        created_at = now - datetime.timedelta(days=rng.uniform(0, days))
        inquiry = Inquiry.objects.create(
            product=product,
            product_title=product.title,
            name=f"Demo buyer {number + 1}",
            email=f"buyer{number + 1}@{HISTORY_DOMAIN}",
            country=country,
            language="vi" if country == "VN" else "en",
            quantity=rng.choice([50, 100, 500, 1000]),
            unit="kg",
            incoterm="" if country == "VN" else rng.choice(["FOB", "CIF", "EXW", "DAP"]),
            message="Demo inquiry",
            consent_at=created_at,
            created_at=created_at,
        )
        inquiry.recipients.set([product.producer])
        replied_at = created_at + datetime.timedelta(hours=rng.uniform(2, 96))
        if rng.random() < 0.7 and replied_at < now:
            InquiryMessage.objects.create(
                inquiry=inquiry,
                author=InquiryMessage.Author.PRODUCER,
                producer=product.producer,
                body="Demo reply",
                created_at=replied_at,
            )
            Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.REPLIED)
    return count
