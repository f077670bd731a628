"""A demo lot for `load_demo`: the demo producer's first listed product, with its raw materials, steps
and a test report (a Wagtail document). Found again by its lot code, so a second run creates nothing."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wagtail.documents import get_document_model

from catalogue.models import ProductPage, Province

from .models import Lot, LotDocument, LotMaterial, LotStep

CODE = "BT2026-045"
# A one-page PDF that says what it stands for: the demo has no real laboratory report.
REPORT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj "
    b"4 0 obj<</Length 60>>stream\nBT /F1 14 Tf 60 780 Td (Demo test report: lead and cadmium) Tj ET\n"
    b"endstream endobj 5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
MATERIALS = [
    {
        "name": "Đất sét trắng",
        "source": LotMaterial.Source.SUPPLIER,
        "source_name": "Hợp tác xã khai thác đất Trúc Thôn",
        "province": "hai-phong",
        "ward": "Phường Chu Văn An",
        "address_line": "Mỏ đất Trúc Thôn",
        "supplier_lot": "TT-2603",
        "days_before": 40,
    },
    {
        "name": "Men tro trấu",
        "source": LotMaterial.Source.OWN_FARM,
        "source_name": "Xưởng men Hồng Lam",
        "province": "ha-noi",
        "ward": "Xã Bát Tràng",
        "address_line": "Xóm 5, thôn Bát Tràng",
        "supplier_lot": "",
        "days_before": 20,
    },
]
STEPS = [
    ("Vuốt tay và phơi mộc", "Nghệ nhân Nguyễn Văn Thắng", 30, 22),
    ("Đắp nổi tích Tùng hạc", "Tổ đắp nổi (3 thợ)", 21, 15),
    ("Phủ men rạn tro trấu", "Tổ men", 14, 14),
    ("Nung 1.280 °C trong 16 giờ", "Tổ lò, lò ga 12 m³", 12, 11),
    ("Lau mực, kiểm tra và đóng hộp", "Tổ KCS", 10, 8),
]


@transaction.atomic
def load_demo_lots(producer):
    """The demo lot of `producer`'s first listed product (None when it lists none)."""
    product = ProductPage.objects.visible().filter(producer=producer).order_by("title").first()
    if product is None:
        return None
    existing = Lot.objects.filter(product=product, code=CODE).first()
    if existing:
        return existing
    produced_on = timezone.localdate() - datetime.timedelta(days=8)
    lot = Lot.objects.create(
        product=product,
        code=CODE,
        gtin="8938505974194",
        produced_on=produced_on,
        quantity=120,
        unit=Lot.Unit.PIECE,
        site_name=producer.name,
        site_address=producer.address,
        site_gln="8938505970004",
        notes="Lô bình men rạn cho đơn hàng khách sạn.",
    )
    provinces = {p.slug: p for p in Province.objects.current()}
    for order, entry in enumerate(MATERIALS):
        fields = dict(entry)
        received_on = produced_on - datetime.timedelta(days=fields.pop("days_before"))
        province = provinces[fields.pop("province")]
        material = LotMaterial(lot=lot, sort_order=order, province=province, received_on=received_on, **fields)
        material.clean()  # the ward's official name and code
        material.save()
    for order, (name, who, start, end) in enumerate(STEPS):
        LotStep.objects.create(
            lot=lot,
            sort_order=order,
            name=name,
            performed_by=who,
            started_on=produced_on - datetime.timedelta(days=start),
            ended_on=produced_on - datetime.timedelta(days=end),
            place="Xưởng gốm Hồng Lam, Bát Tràng",
        )
    title = "Kết quả thử nghiệm chì, cadimi thôi nhiễm (mẫu demo)"
    document = get_document_model()(title=title)
    document.file.save("thu-nghiem-chi-cadimi-demo.pdf", ContentFile(REPORT), save=False)
    document.save()
    LotDocument.objects.create(lot=lot, kind=LotDocument.Kind.TEST_RESULT, title=title, document=document)
    return lot
