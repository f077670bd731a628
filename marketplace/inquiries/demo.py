"""Demo inquiries for `load_demo`: a few in the demo producer's inbox and one sourcing request to route,
and the threads that show responsiveness both ways: the demo producer answers within hours, the
slow producer answered one buyer of four, weeks later. Their figures are measured at the end, as
the nightly job would.

Each has a fixed form token, so loading twice creates nothing new; no email is sent for them.
"""

import datetime
import random
import uuid

from django.utils import timezone

from catalogue.models import Category, ProductPage

from .models import Inquiry, InquiryMessage
from .responsiveness import refresh_all

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
        "reply_hours": 5,
    },
    {
        "key": "rfq-melbourne",
        "name": "Olivia Nguyen",
        "company": "Saigon Pantry Pty Ltd",
        "email": "olivia@example.com.au",
        "country": "AU",
        "language": "en",
        "quantity": 200,
        "incoterm": "CIF",
        "destination": "Melbourne",
        "message": "Do you have export documents for Australia (certificate of origin, phytosanitary)?",
        "days_ago": 24,
        "reply": "Yes: certificate of origin form AANZ and the phytosanitary certificate come with every shipment.",
        "reply_hours": 2,
    },
    {
        "key": "rfq-da-nang",
        "name": "Trần Thu Hà",
        "company": "Khách sạn Biển Xanh",
        "email": "thuha@example.vn",
        "country": "VN",
        "language": "vi",
        "quantity": 300,
        "incoterm": "DAP",
        "destination": "Đà Nẵng",
        "message": "Khách sạn cần đặt hàng theo mẫu có in logo, xin báo giá và thời gian giao.",
        "days_ago": 52,
        "reply": "Chúng tôi nhận in logo từ 300 sản phẩm, giao trong 4 tuần; báo giá chi tiết gửi kèm.",
        "reply_hours": 1,
    },
]

# The slow producer's threads: one buyer answered after more than three weeks, three never.
SLOW = [
    {
        "key": "slow-busan",
        "name": "Kim Min-jun",
        "company": "Hanbit Foods",
        "email": "minjun.kim@example.kr",
        "country": "KR",
        "language": "en",
        "quantity": 500,
        "incoterm": "FOB",
        "destination": "Busan",
        "message": "Please quote 500 kg for the autumn season, vacuum-packed.",
        "days_ago": 60,
        "reply": "Sorry for the late answer: 500 kg is possible from October.",
        "reply_hours": 24 * 25,
    },
    {
        "key": "slow-rotterdam",
        "name": "Pieter de Vries",
        "company": "Thee & Co BV",
        "email": "pieter@example.nl",
        "country": "NL",
        "language": "en",
        "quantity": 300,
        "incoterm": "CIF",
        "destination": "Rotterdam",
        "message": "Could you send your price list and the pesticide residue test results?",
        "days_ago": 35,
    },
    {
        "key": "slow-dubai",
        "name": "Omar Haddad",
        "company": "Gulf Fine Foods",
        "email": "omar@example.ae",
        "country": "AE",
        "language": "en",
        "quantity": 100,
        "incoterm": "CFR",
        "destination": "Jebel Ali",
        "message": "We would like a first order of 100 gift boxes before Ramadan.",
        "days_ago": 80,
    },
    {
        "key": "slow-ha-noi",
        "name": "Lê Minh Tuấn",
        "company": "Chuỗi cửa hàng Sạch Xanh",
        "email": "tuan.le@example.vn",
        "country": "VN",
        "language": "vi",
        "quantity": 50,
        "incoterm": "DAP",
        "destination": "Hà Nội",
        "message": "Cửa hàng muốn nhập thử 50 hộp, xin báo giá sỉ.",
        "days_ago": 110,
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


def _threads(producer, entries):
    """The entries as inquiries about the producer's first visible product, answered where they say so."""
    created = 0
    product = ProductPage.objects.visible().filter(producer=producer).order_by("pk").first()
    if product is None:
        return 0
    for entry in entries:
        entry = dict(entry)
        token = _token(entry.pop("key"))
        if Inquiry.objects.filter(form_token=token).exists():
            continue
        reply = entry.pop("reply", None)
        reply_after = datetime.timedelta(hours=entry.pop("reply_hours", 0))
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
                created_at=when + reply_after,
            )
        created += 1
    return created


def load_demo_inquiries(producer, slow_producer=None):
    """Returns how many demo inquiries were created (0 on a second run)."""
    created = _threads(producer, DEMO)
    if slow_producer is not None:
        created += _threads(slow_producer, SLOW)
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
    refresh_all()  # as the nightly measure_responsiveness would: the pages show the figures at once
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
