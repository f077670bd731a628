"""Demo data for sample orders (`load_demo`): shipping zones, one paid and one unpaid order for the
demo producer, and three delivered orders with their buyers' reviews. Fixed form tokens keep it
idempotent; no email is sent for them."""

import datetime
import random
import uuid

from django.utils import timezone

from catalogue.models import ProductPage, Province

from .models import OrderState, OrderTransition, SampleOrder, SampleOrderSettings, ShippingZone
from .pricing import usd_cents
from .reviews import SampleReview

NAMESPACE = uuid.UUID("6f1c2a52-8d7e-4c43-9a55-0c0de0000020")

ZONES = [
    ("Asia", ["JP", "KR", "CN", "SG", "TH", "MY", "ID", "PH", "KH", "LA", "TW", "HK"], 450_000),
    ("Europe and North America", ["DE", "FR", "NL", "GB", "IT", "ES", "BE", "US", "CA"], 850_000),
    ("Rest of the world", [], 1_100_000),
]

ORDERS = [
    {
        "key": "sample-da-nang",
        "name": "Nguyễn Thị Mai",
        "company": "Cửa hàng đặc sản Mai",
        "email": "mai.nguyen@example.vn",
        "phone": "+84905123456",
        "country": "VN",
        "province": "da-nang",
        "commune": "Phường Hải Châu",
        "address_line": "12 Bạch Đằng",
        "language": "vi",
        "quantity": 2,
        "paid": False,
    },
    {
        "key": "sample-hamburg",
        "name": "Anna Schmidt",
        "company": "Feinkost Schmidt GmbH",
        "email": "anna.schmidt@example.de",
        "phone": "+4930901820",
        "country": "DE",
        "city": "Hamburg",
        "postal_code": "20095",
        "address_line": "Mönckebergstraße 7",
        "language": "en",
        "quantity": 1,
        "paid": True,
    },
]


def sample_product(producer):
    """The producer's first listed product that sells samples: the one the demo orders and reviews are of."""
    return (
        ProductPage.objects.visible()
        .filter(producer=producer, sample_available=True, sample_price_vnd__gt=0)
        .order_by("pk")
        .first()
    )


def load_demo_orders(producer):
    """Returns how many demo orders were created (0 on a second run)."""
    for name, countries, fee in ZONES:
        ShippingZone.objects.get_or_create(name=name, defaults={"countries": countries, "fee_vnd": fee})
    order_settings = SampleOrderSettings.load()
    product = sample_product(producer)
    if product is None:
        return 0
    created = 0
    for entry in ORDERS:
        entry = dict(entry)
        token = uuid.uuid5(NAMESPACE, entry.pop("key"))
        if SampleOrder.objects.filter(form_token=token).exists():
            continue
        paid = entry.pop("paid")
        province = entry.pop("province", None)
        when = timezone.now() - datetime.timedelta(hours=30 if paid else 3)
        quantity = min(entry.pop("quantity"), product.sample_max_quantity)
        if entry["country"] == "VN":
            fee, zone = order_settings.domestic_fee_vnd, "Domestic (Vietnam)"
        else:
            found = ShippingZone.for_country(entry["country"])
            fee, zone = found.fee_vnd, found.name
        total = product.sample_price_vnd * quantity + fee
        order = SampleOrder.objects.create(
            form_token=token,
            product=product,
            product_title=product.title,
            producer=producer,
            quantity=quantity,
            unit_price_vnd=product.sample_price_vnd,
            shipping_fee_vnd=fee,
            shipping_zone=zone,
            total_vnd=total,
            usd_rate=order_settings.usd_rate,
            total_usd_cents=usd_cents(total, order_settings.usd_rate),
            province=Province.objects.current().filter(slug=province).first() if province else None,
            consent_at=when,
            created_at=when,
            expires_at=when + datetime.timedelta(hours=order_settings.expiry_hours),
            state=OrderState.PAID if paid else OrderState.PENDING,
            payment_method=SampleOrder.PaymentMethod.BANK_TRANSFER if paid else "",
            **entry,
        )
        if paid:
            OrderTransition.objects.create(
                order=order,
                from_state=OrderState.PENDING,
                to_state=OrderState.PAID,
                at=when + datetime.timedelta(hours=4),
                actor="demo",
                note="bank transfer received",
            )
        created += 1
    return created


# Delivered orders whose buyers reviewed the sample: three on one product, so its JSON-LD carries
# aggregateRating (search engines get it from three reviews on).
REVIEWED = [
    {
        "key": "reviewed-rotterdam",
        "name": "Pieter de Vries",
        "email": "pieter@example.nl",
        "phone": "+31101234567",
        "country": "NL",
        "city": "Rotterdam",
        "postal_code": "3011",
        "address_line": "Coolsingel 40",
        "language": "en",
        "days_ago": 40,
        "scores": (5, 4, 5),
        "comment": "Exactly as listed, well sealed, and the producer answered every question within a day.",
        "reply": "Cảm ơn anh Pieter! Thank you, we look forward to your first order.",
    },
    {
        "key": "reviewed-osaka",
        "name": "Sato Yuki",
        "email": "yuki.sato@example.jp",
        "phone": "+81612345678",
        "country": "JP",
        "city": "Osaka",
        "postal_code": "530-0001",
        "address_line": "1-1 Umeda, Kita-ku",
        "language": "en",
        "days_ago": 25,
        "scores": (4, 3, 4),
        "comment": "Good taste. One bottle's cap had leaked a little: the outer box could be stronger.",
        "reply": "",
    },
    {
        "key": "reviewed-hanoi",
        "name": "Trần Văn Hùng",
        "email": "hung.tran@example.vn",
        "phone": "+84912345678",
        "country": "VN",
        "province": "ha-noi",
        "commune": "Phường Hoàn Kiếm",
        "address_line": "5 Hàng Bài",
        "language": "vi",
        "days_ago": 10,
        "scores": (5, 5, 4),
        "comment": "Sản phẩm đúng mô tả, đóng gói cẩn thận. Giao hàng nhanh.",
        "reply": "",
    },
]


def load_demo_reviews(producer):
    """Delivered demo orders with their buyers' reviews; returns how many were created (0 on a second run)."""
    order_settings = SampleOrderSettings.load()
    product = sample_product(producer)
    if product is None:
        return 0
    created = 0
    for number, entry in enumerate(REVIEWED, start=1):
        entry = dict(entry)
        token = uuid.uuid5(NAMESPACE, entry.pop("key"))
        if SampleOrder.objects.filter(form_token=token).exists():
            continue
        quality, packaging, communication = entry.pop("scores")
        comment, reply = entry.pop("comment"), entry.pop("reply")
        province = entry.pop("province", None)
        when = timezone.now() - datetime.timedelta(days=entry.pop("days_ago"))
        if entry["country"] == "VN":
            fee, zone = order_settings.domestic_fee_vnd, "Domestic (Vietnam)"
        else:
            found = ShippingZone.for_country(entry["country"])
            fee, zone = found.fee_vnd, found.name
        total = product.sample_price_vnd + fee
        order = SampleOrder.objects.create(
            form_token=token,
            product=product,
            product_title=product.title,
            producer=producer,
            quantity=1,
            unit_price_vnd=product.sample_price_vnd,
            shipping_fee_vnd=fee,
            shipping_zone=zone,
            total_vnd=total,
            usd_rate=order_settings.usd_rate,
            total_usd_cents=usd_cents(total, order_settings.usd_rate),
            province=Province.objects.current().filter(slug=province).first() if province else None,
            consent_at=when,
            created_at=when,
            expires_at=when + datetime.timedelta(hours=order_settings.expiry_hours),
            state=OrderState.DELIVERED,
            payment_method=SampleOrder.PaymentMethod.BANK_TRANSFER,
            carrier="VNPost EMS",
            tracking_number=f"EE{123456780 + number}VN",
            **entry,
        )
        steps = [
            (OrderState.PENDING, OrderState.PAID),
            (OrderState.PAID, OrderState.SHIPPED),
            (OrderState.SHIPPED, OrderState.DELIVERED),
        ]
        for day, (frm, to) in enumerate(steps, start=1):
            at = when + datetime.timedelta(days=day)
            OrderTransition.objects.create(order=order, from_state=frm, to_state=to, at=at, actor="demo")
        SampleReview.objects.create(
            order=order,
            quality=quality,
            packaging=packaging,
            communication=communication,
            comment=comment,
            language=entry["language"],
            created_at=when + datetime.timedelta(days=5),
            reply=reply,
            replied_at=when + datetime.timedelta(days=6) if reply else None,
        )
        created += 1
    return created


# Three months of sample orders for the demand figures: a fixed seed makes the same history on
# every run; the buyers' e-mail domain marks them, so a second run adds none.
HISTORY_DOMAIN = "buyers.demo.example"
HISTORY_COUNTRIES = ["VN"] * 5 + ["DE", "JP", "JP", "US", "FR", "KR", "SG"]


def load_demo_order_history(seed=24, days=90, count=90):
    """Returns how many sample orders were created (0 on a second run)."""
    if SampleOrder.objects.filter(email__endswith="@" + HISTORY_DOMAIN).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    products = list(
        ProductPage.objects.visible().filter(sample_available=True, sample_price_vnd__gt=0).order_by("pk")[:60]
    )
    if not products:
        return 0
    domestic_fee = SampleOrderSettings.load().domestic_fee_vnd
    now = timezone.now()
    for number in range(count):
        product = rng.choice(products)
        country = rng.choice(HISTORY_COUNTRIES)
        zone = ShippingZone.for_country(country) if country != "VN" else None
        fee = zone.fee_vnd if zone else domestic_fee
        created_at = now - datetime.timedelta(days=rng.uniform(0, days))
        quantity = rng.randint(1, max(1, min(3, product.sample_max_quantity)))
        paid = rng.random() < 0.6
        order = SampleOrder.objects.create(
            form_token=uuid.uuid5(NAMESPACE, f"history-{number}"),
            product=product,
            product_title=product.title,
            producer=product.producer,
            quantity=quantity,
            unit_price_vnd=product.sample_price_vnd,
            shipping_fee_vnd=fee,
            shipping_zone=zone.name if zone else "Domestic (Vietnam)",
            total_vnd=product.sample_price_vnd * quantity + fee,
            name=f"Demo buyer {number + 1}",
            email=f"sample{number + 1}@{HISTORY_DOMAIN}",
            phone="+84900000000",
            country=country,
            language="vi" if country == "VN" else "en",
            address_line="Demo street 1",
            consent_at=created_at,
            created_at=created_at,
            expires_at=created_at + datetime.timedelta(days=2),
            state=OrderState.DELIVERED if paid else OrderState.EXPIRED,
        )
        to_state = OrderState.PAID if paid else OrderState.EXPIRED
        OrderTransition.objects.create(
            order=order,
            from_state=OrderState.PENDING,
            to_state=to_state,
            at=created_at + datetime.timedelta(hours=rng.uniform(1, 40)),
            actor="demo",
        )
    return count
