"""A synthetic OCOP catalogue for the search benchmark, bulk-inserted.

Creating a large catalogue one Wagtail page at a time is far too slow; here page rows get their
treebeard paths computed and go in with bulk inserts, then their child rows, producers,
records and quality certifications. Names are realistic Vietnamese product names across
all 34 provinces and every product sub-group; the star mix follows the national one
(73 % 3★, 24 % 4★, 3 % 5★) and a few records are expired or revoked.
"""

import datetime
import random
import uuid

from anyascii import anyascii
from dateutil.relativedelta import relativedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from wagtail.models import Locale, Page

from catalogue.demo.loader import ensure_site
from catalogue.models import Category, Certification, Producer, ProductPage, Province, QualityCertification
from catalogue.models.certifications import expiry_for

# (sub-group code, Vietnamese product kinds, English kind)
KINDS = [
    ("1.1.a", ["Bưởi da xanh", "Cam sành", "Vải thiều", "Nhãn lồng", "Xoài cát", "Thanh long ruột đỏ"], "fresh fruit"),
    ("1.1.b", ["Gà đồi", "Trứng vịt", "Tôm sú", "Cá basa", "Sữa bò tươi"], "fresh meat and seafood"),
    ("1.2.a", ["Gạo ST25", "Gạo tám thơm", "Gạo nếp cái hoa vàng", "Gạo lứt đỏ"], "rice"),
    ("1.2.b", ["Mật ong hoa nhãn", "Mật ong bạc hà", "Mật ong rừng"], "honey"),
    ("1.3.a", ["Mì gạo", "Phở khô", "Bún khô"], "instant noodles"),
    ("1.3.b", ["Bánh tráng", "Bánh đa nem", "Miến dong", "Bánh cốm", "Bánh pía"], "rice cakes"),
    ("1.3.c", ["Mứt gừng", "Chuối sấy", "Mít sấy", "Ô mai mơ"], "dried fruit"),
    ("1.3.d", ["Nem chua", "Chả cá", "Lạp xưởng", "Khô cá dứa", "Ruốc tôm"], "processed meat and fish"),
    ("1.4.a", ["Nước mắm cá cơm", "Nước mắm truyền thống", "Nước mắm nhĩ", "Tương bần", "Mắm tôm"], "fish sauce"),
    ("1.4.b", ["Muối tôm", "Tiêu đen", "Ớt bột", "Hạt điều rang muối"], "condiments"),
    ("1.5.a", ["Chè Shan tuyết", "Chè búp", "Trà ô long", "Chè xanh"], "green tea"),
    ("1.5.b", ["Trà atiso", "Trà hoa cúc", "Trà tam thất"], "herbal tea"),
    ("1.6", ["Cà phê Robusta", "Cà phê Arabica", "Ca cao"], "coffee"),
    ("2.1.a", ["Rượu nếp cẩm", "Rượu ngô men lá", "Rượu làng Vân"], "rice wine"),
    ("2.1.b", ["Rượu sim", "Rượu vang nho"], "fruit wine"),
    ("2.2.a", ["Nước khoáng", "Nước suối"], "mineral water"),
    ("2.2.b", ["Nước cốt chanh dây", "Nước ép cam", "Nước dừa"], "fruit juice"),
    ("3.1", ["Cao atiso", "Viên đông trùng hạ thảo", "Sâm Ngọc Linh"], "herbal medicine"),
    ("3.2", ["Dầu gội bồ kết", "Xà phòng nghệ", "Son dưỡng sáp ong"], "herbal cosmetics"),
    ("3.3", ["Tinh dầu tràm", "Tinh dầu sả", "Tinh dầu quế"], "essential oil"),
    ("4.1", ["Gốm sứ", "Mây tre đan", "Sơn mài", "Tranh Đông Hồ", "Nón lá"], "handicraft"),
    ("4.2", ["Lụa tơ tằm", "Thổ cẩm", "Khăn lụa"], "silk and textiles"),
    ("5.1", ["Hoa lan hồ điệp", "Hoa đào"], "flowers"),
    ("5.2", ["Cây cảnh bonsai", "Mai vàng"], "ornamental plants"),
    ("6", ["Du lịch cộng đồng", "Homestay"], "community tourism"),
]
QUALIFIERS = ["truyền thống", "hữu cơ", "đặc biệt", "cao cấp", "loại 1", "thượng hạng", "gia truyền", "sạch", "", ""]
PRODUCER_KINDS = [
    ("cooperative", "HTX"),
    ("enterprise", "Công ty TNHH"),
    ("household", "Hộ kinh doanh"),
    ("cooperative_group", "Tổ hợp tác"),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Minh", "Nga", "Phúc", "Quang", "Thảo", "Tuấn"]
SCHEMES = [s for s, _ in QualityCertification.Scheme.choices]
BATCH = 1000


def _slug(text):
    return "-".join(anyascii(text).lower().replace("/", " ").split())


def _province_weights(provinces):
    # Hà Nội alone holds about a fifth of all OCOP products; the rest share the remainder.
    return [6 if p.slug == "ha-noi" else 1 for p in provinces]


def generate(total, seed=2026):
    """Grow the catalogue to `total` product pages (idempotent for a given total)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    _home, index = ensure_site()
    index.refresh_from_db()
    existing = ProductPage.objects.count()
    if existing >= total:
        return 0
    rng.seed(seed + existing)
    provinces = list(Province.objects.current())
    weights = _province_weights(provinces)
    categories = {c.code: c for c in Category.objects.all()}
    today = timezone.localdate()
    now = timezone.now()
    locale = Locale.get_default()
    content_type = ContentType.objects.get_for_model(ProductPage)
    to_make = total - existing

    with transaction.atomic():
        producers = []
        first = Producer.objects.count()
        for n in range(first, first + max(1, to_make // 2)):
            legal_form, prefix = PRODUCER_KINDS[n % len(PRODUCER_KINDS)]
            province = rng.choices(provinces, weights)[0]
            name = f"{prefix} {rng.choice(SURNAMES)} {rng.choice(GIVEN)} {province.name} {n}"
            producers.append(
                Producer(
                    name=name,
                    slug=f"{_slug(name)}-{n}",
                    legal_form=legal_form,
                    province=province,
                    commune=f"Xã {rng.choice(GIVEN)} {n % 97}",
                )
            )
        Producer.objects.bulk_create(producers, batch_size=BATCH)
        producers = list(Producer.objects.order_by("pk").select_related("province")[first:])

        step = index.numchild
        for start in range(0, to_make, BATCH):
            pages, children = [], []
            for i in range(start, min(start + BATCH, to_make)):
                n = existing + i
                code, names, english = KINDS[n % len(KINDS)]
                producer = producers[rng.randrange(len(producers))]
                province = producer.province
                title = " ".join(x for x in (rng.choice(names), rng.choice(QUALIFIERS), province.name) if x)
                slug = f"{_slug(title)}-{n}"
                step += 1
                published = now - datetime.timedelta(minutes=n)
                pages.append(
                    Page(
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=content_type,
                        locale=locale,
                        translation_key=uuid.uuid4(),
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        path=Page._get_path(index.path, index.depth + 1, step),
                        depth=index.depth + 1,
                        numchild=0,
                        url_path=f"{index.url_path}{slug}/",
                    )
                )
                children.append(
                    {
                        "name_en": f"{english.capitalize()} from {anyascii(province.name)}",
                        "producer": producer,
                        "category": categories[code],
                        "province": province,
                        "description": f"<p>{title} của {producer.name}, sản phẩm OCOP tỉnh {province.name}.</p>",
                        "sample_available": rng.random() < 0.3,
                        "price_min_vnd": rng.randrange(20, 2000) * 1000,
                    }
                )
            Page.objects.bulk_create(pages)
            products = []
            for page, fields in zip(pages, children, strict=True):
                product = ProductPage(**fields)
                product.page_ptr_id = page.pk
                product.pk = page.pk
                products.append(product)
            # Django cannot bulk_create a multi-table child; insert the child rows directly.
            ProductPage.objects._insert(
                products, fields=list(ProductPage._meta.local_concrete_fields), using=connection.alias
            )
            records, quality = [], []
            for page, product, fields in zip(pages, products, children, strict=True):
                roll = rng.random()
                stars = 3 if roll < 0.73 else 4 if roll < 0.97 else 5
                signed_on = today - datetime.timedelta(days=rng.randrange(1, 1090))
                revoked_on = today - datetime.timedelta(days=3) if rng.random() < 0.02 else None
                if rng.random() < 0.03:
                    signed_on = today - relativedelta(months=40)  # expired
                records.append(
                    Certification(
                        product_id=product.pk,
                        producer_id=fields["producer"].pk,
                        product_name=page.title,
                        producer_name=fields["producer"].name,
                        decision_number=f"{rng.randrange(100, 9999)}/QĐ-UBND",
                        issuing_body=f"UBND tỉnh {fields['province'].name}",
                        recognition_level="national" if stars == 5 else "provincial",
                        stars=stars,
                        signed_on=signed_on,
                        expires_on=expiry_for(signed_on),
                        revoked_on=revoked_on,
                        revocation_reason="Không đăng ký đánh giá lại" if revoked_on else "",
                    )
                )
                if rng.random() < 0.25:
                    quality.append(QualityCertification(page_id=product.pk, scheme=rng.choice(SCHEMES)))
            Certification.objects.bulk_create(records)
            QualityCertification.objects.bulk_create(quality)
        Page.objects.filter(pk=index.pk).update(numchild=step)
    return to_make
