"""Loads the demo catalogue (catalogue/demo/products.json) idempotently.

Keys in the JSON become slugs, so a second run finds and updates what the first
created instead of duplicating it.
"""

import datetime
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path

from anyascii import anyascii
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.images.models import Image
from wagtail.models import Collection

from catalogue.models import (
    Category,
    Certification,
    Producer,
    ProductImage,
    ProductPage,
    Province,
    QualityCertification,
)
from catalogue.reference import sync_reference_data
from catalogue.site import ensure_site

DATA_FILE = Path(__file__).with_name("products.json")
GROUP_COLOURS = {"1": "#2e7d4f", "2": "#8e3b46", "3": "#5b7f2b", "4": "#8a5a2b", "5": "#b0528a", "6": "#2b6f8a"}
PRODUCT_FIELDS = [
    "packaging",
    "net_quantity",
    "shelf_life",
    "storage",
    "moq_unit",
    "capacity",
    "lead_time_days",
    "price_min_vnd",
    "price_max_vnd",
    "price_unit",
    "sample_available",
    "sample_price_vnd",
    "hs_code",
]


def demo_image(key, title, group_code):
    """A generated picture standing in for a product photo."""
    title_ascii = anyascii(title)
    existing = Image.objects.filter(title=f"Demo: {title_ascii}").first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", (800, 600), GROUP_COLOURS.get(group_code, "#1f6f43"))
    draw = ImageDraw.Draw(canvas)
    seed = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    for i in range(6):
        r = 80 + (seed >> (i * 8)) % 160
        x, y = (seed >> (i * 5)) % 800, (seed >> (i * 7)) % 600
        draw.ellipse((x - r, y - r, x + r, y + r), outline="#ffffff55", width=6)
    font = ImageFont.load_default(size=44)
    words, lines, line = title_ascii.split(), [], ""
    for word in words:
        if len(line) + len(word) > 24:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    for n, text in enumerate(lines[:4]):
        draw.text((48, 360 + n * 54), text, fill="white", font=font)
    draw.text((48, 48), "OCOP", fill="#ffd166", font=ImageFont.load_default(size=64))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=82)
    collection = Collection.get_first_root_node()
    return Image.objects.create(
        title=f"Demo: {title_ascii}", file=ImageFile(buffer, name=f"{key}.jpg"), collection=collection
    )


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def load_producer(data):
    province = Province.objects.current().get(slug=data["province"])
    producer, created = Producer.objects.update_or_create(
        slug=data["key"],
        defaults={
            "name": data["name"],
            "legal_form": data["legal_form"],
            "registration_number": data.get("registration_number", ""),
            "province": province,
            "commune": data.get("commune", ""),
            "address_line": data.get("address_line", ""),
            "contact_name": data.get("contact_name", ""),
            "phone": data.get("phone", ""),
            "email": data.get("email", ""),
            "website": data.get("website", ""),
            "description": data.get("description", ""),
            "description_en": data.get("description_en", ""),
        },
    )
    return producer, created


def load_product(index, producer, data):
    category = Category.objects.get(code=data["category"])
    values = {
        "title": data["name"],
        "name_en": data.get("name_en", ""),
        "producer": producer,
        "category": category,
        "province": producer.province,
        "description": f"<p>{data.get('description', '')}</p>",
        "description_en": f"<p>{data.get('description_en', '')}</p>",
        "moq_quantity": Decimal(str(data["moq_quantity"])) if data.get("moq_quantity") is not None else None,
        "export_markets": data.get("export_markets", []),
        **{field: data.get(field) if data.get(field) is not None else _blank(field) for field in PRODUCT_FIELDS},
    }
    page = ProductPage.objects.filter(slug=data["key"]).first()
    created = page is None
    if created:
        page = index.add_child(instance=ProductPage(slug=data["key"], **values))
    else:
        page = page.specific
        changed = False
        for field, value in values.items():
            current = getattr(page, field)
            if field == "export_markets":
                current = [c.code for c in current]
            if current != value:
                setattr(page, field, value)
                changed = True
        if not changed and page.live:
            return page, False

    if not page.gallery_images.exists():
        image = demo_image(data["key"], data.get("name_en") or data["name"], category.code.split(".")[0])
        page.gallery_images.add(ProductImage(image=image, caption=data["name"]))
    page.quality_certifications.set(
        [
            QualityCertification(
                scheme=q["scheme"],
                issuer=q.get("issuer", ""),
                expires_on=_date(q.get("expires_on")),
                held_by=q.get("held_by", "product"),
                sort_order=n,
            )
            for n, q in enumerate(data.get("quality_certifications", []))
        ]
    )
    page.save_revision().publish()
    return page, created


def _blank(field):
    return None if ProductPage._meta.get_field(field).null else ProductPage._meta.get_field(field).get_default()


def load_records(page, producer, records):
    created = 0
    for data in records:
        legacy = data.get("legacy_province")
        _, was_created = Certification.objects.update_or_create(
            product=page,
            decision_number=data["decision_number"],
            signed_on=_date(data["signed_on"]),
            defaults={
                "producer": producer,
                "product_name": page.title,
                "producer_name": producer.name,
                "issuing_body": data["issuing_body"],
                "recognition_level": data["recognition_level"],
                "recognition_type": data.get("recognition_type", "first"),
                "stars": data["stars"],
                "score": Decimal(str(data["score"])) if data.get("score") is not None else None,
                "potential_five_star": data.get("potential_five_star", False),
                "revoked_on": _date(data.get("revoked_on")),
                "revocation_reason": data.get("revocation_reason", ""),
                "issued_address": data.get("issued_address", ""),
                "legacy_province": Province.objects.legacy().get(slug=legacy) if legacy else None,
            },
        )
        created += was_created
    return created


@transaction.atomic
def load_demo(path=DATA_FILE):
    """Load the demo catalogue; returns counts of what was created this run."""
    sync_reference_data()
    _home, index = ensure_site()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    counts = {"producers": 0, "products": 0, "records": 0}
    for producer_data in data["producers"]:
        producer, created = load_producer(producer_data)
        counts["producers"] += created
        for product_data in producer_data["products"]:
            page, created = load_product(index, producer, product_data)
            counts["products"] += created
            counts["records"] += load_records(page, producer, product_data.get("certifications", []))
    return counts
