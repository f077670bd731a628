"""Demo fairs for `load_demo`: an upcoming and a past fair, their exhibitors, a meeting request waiting
in the demo producer's admin, and one the slow producer left unanswered, escalated to the agency.

Dates are counted from today on every run, so the upcoming fair stays upcoming; pages are
found by slug and exhibitors by (fair, producer), so loading twice creates nothing new.
"""

import datetime
import random
import uuid

from django.db import transaction
from django.utils import timezone

from catalogue.models import HomePage, ProductPage, Province

from . import site
from .models import (
    Exhibitor,
    FairFeaturedProduct,
    FairLivestream,
    FairPage,
    FairZone,
    MeetingFollowUp,
    MeetingRequest,
)

NAMESPACE = uuid.UUID("6f1c2a52-8d7e-4c43-9a55-0c0de0000020")

UPCOMING = {
    "slug": "hoi-cho-ocop-ha-noi",
    "title": "Hội chợ OCOP Hà Nội mở rộng",
    "title_en": "Hanoi OCOP Fair",
    "days_from_today": 21,
    "length": 4,
    "province": "ha-noi",
    "attendance": FairPage.Attendance.HYBRID,
    "venue": "Trung tâm Triển lãm Giảng Võ",
    "venue_address": "148 Giảng Võ, Ba Đình",
    "livestream_url": "https://live.ocop.example.vn/hoi-cho-ha-noi",
    "organiser": "Trung tâm Xúc tiến Thương mại Nông nghiệp",
    "description": "<p>300 gian hàng OCOP của 34 tỉnh, thành: khu sản phẩm 5 sao, khu sản phẩm mới, "
    "phiên kết nối cung cầu với nhà nhập khẩu và livestream bán hàng mỗi tối.</p>",
    "description_en": "<p>300 OCOP booths from all 34 provinces: a 5★ zone, a new-products zone, supply-demand "
    "matching with importers and an evening livestream.</p>",
    # (name, kind, description, English name, English description)
    "zones": [
        (
            "Khu sản phẩm 5 sao",
            FairZone.Kind.FIVE_STAR,
            "Sản phẩm đạt 5 sao cấp quốc gia",
            "5★ products",
            "Products rated 5 stars nationally",
        ),
        (
            "Khu sản phẩm mới",
            FairZone.Kind.NEW_PRODUCTS,
            "Sản phẩm mới được công nhận trong năm",
            "New products",
            "Certified this year",
        ),
        (
            "Khu miền Bắc",
            FairZone.Kind.REGIONAL,
            "Trung du, miền núi và đồng bằng sông Hồng",
            "The North",
            "Midlands, mountains and the Red River Delta",
        ),
        ("Khu Đồng bằng sông Cửu Long", FairZone.Kind.REGIONAL, "", "Mekong Delta", ""),
    ],
    # (product keys shown, zone index, booth); the first producer of the demo data comes first.
    "exhibitors": [
        (["binh-gom-men-ran-bat-trang", "bo-am-chen-men-lam-bat-trang"], 0, "A01"),
        (["khan-lua-to-tam-van-phuc"], 0, "A02"),
        (["nuoc-mam-phu-quoc-43-dam"], 0, "A03"),
        (["tra-o-long-moc-chau", "tra-xanh-moc-chau"], 1, "B01"),
        (["che-tan-cuong-dac-biet"], 2, "C01"),
        (["vai-thieu-say-kho-luc-ngan"], 2, "C02"),
        (["keo-dua-sua-la-dua"], 3, "D01"),
        (["gao-st25-my-xuyen"], 3, "D02"),
        (["tom-kho-rach-goc"], 3, "D03"),
    ],
    "applied": [["cam-cao-phong"]],
    "featured": ["binh-gom-men-ran-bat-trang", "khan-lua-to-tam-van-phuc", "nuoc-mam-phu-quoc-43-dam"],
    "livestreams": [("Livestream: sản phẩm 5 sao / 5★ products", 0, datetime.time(19, 0), 90)],
}

PAST = {
    "slug": "hoi-cho-ocop-dong-bang-song-cuu-long",
    "title": "Hội chợ OCOP vùng Đồng bằng sông Cửu Long",
    "title_en": "Mekong Delta OCOP Fair",
    "days_from_today": -45,
    "length": 3,
    "province": "can-tho",
    "attendance": FairPage.Attendance.IN_PERSON,
    "venue": "Công viên Lưu Hữu Phước",
    "venue_address": "Ninh Kiều",
    "livestream_url": "",
    "organiser": "Sở Công Thương thành phố Cần Thơ",
    "description": "<p>250 gian hàng của 13 tỉnh, thành vùng Đồng bằng sông Cửu Long.</p>",
    "description_en": "<p>250 booths from the Mekong Delta provinces.</p>",
    "zones": [
        ("Khu sản phẩm 5 sao", FairZone.Kind.FIVE_STAR, "", "5★ products", ""),
        ("Khu gạo và nông sản", FairZone.Kind.REGIONAL, "", "Rice and farm produce", ""),
        (
            "Phiên kết nối cung cầu",
            FairZone.Kind.MATCHING,
            "Gặp nhà phân phối và nhà nhập khẩu",
            "Supply-demand matching",
            "Meet distributors and importers",
        ),
    ],
    "exhibitors": [
        (["nuoc-mam-phu-quoc-43-dam", "nuoc-mam-phu-quoc-35-dam"], 0, "A01"),
        (["gao-st25-my-xuyen", "gao-st25-lua-tom"], 1, "B01"),
        (["hat-sen-say-gion-thap-muoi"], 1, "B02"),
        (["binh-gom-men-ran-bat-trang"], 2, "C01"),
    ],
    "applied": [],
    "featured": ["nuoc-mam-phu-quoc-43-dam", "gao-st25-my-xuyen"],
    "livestreams": [],
}


def ensure_fair_index(home=None):
    """/fairs/ under the home page (the one `setup_site` creates)."""
    return site.ensure_fair_index(home or HomePage.objects.first())[0]


def _products(keys):
    by_slug = {p.slug: p for p in ProductPage.objects.filter(slug__in=keys)}
    return [by_slug[k] for k in keys if k in by_slug]


def _fair(index, spec, today):
    starts_on = today + datetime.timedelta(days=spec["days_from_today"])
    values = {
        "title": spec["title"],
        "title_en": spec["title_en"],
        "starts_on": starts_on,
        "ends_on": starts_on + datetime.timedelta(days=spec["length"] - 1),
        "opens_at": datetime.time(8, 0),
        "closes_at": datetime.time(17, 0),
        "province": Province.objects.current().get(slug=spec["province"]),
        **{k: spec[k] for k in ("attendance", "venue", "venue_address", "livestream_url", "organiser", "description")},
        "description_en": spec["description_en"],
    }
    fair = FairPage.objects.filter(slug=spec["slug"]).first()
    if fair is None:
        fair = index.add_child(instance=FairPage(slug=spec["slug"], meeting_slot_minutes=30, **values))
    else:
        for field, value in values.items():
            setattr(fair, field, value)
    if not fair.zones.exists():
        fair.zones = [
            FairZone(name=n, kind=k, description=d, name_en=n_en, description_en=d_en, sort_order=i)
            for i, (n, k, d, n_en, d_en) in enumerate(spec["zones"])
        ]
    fair.featured_products = [
        FairFeaturedProduct(product=p, sort_order=i) for i, p in enumerate(_products(spec["featured"]))
    ]
    fair.livestreams = [
        FairLivestream(
            title=title,
            starts_at=fair.local(fair.starts_on + datetime.timedelta(days=day), at),
            ends_at=fair.local(fair.starts_on + datetime.timedelta(days=day), at) + datetime.timedelta(minutes=minutes),
            sort_order=i,
        )
        for i, (title, day, at, minutes) in enumerate(spec["livestreams"])
    ]
    fair.save_revision().publish()
    return FairPage.objects.get(pk=fair.pk)  # as published, with the children's saved rows


def _exhibitors(fair, spec):
    zones = list(FairZone.objects.filter(page=fair).order_by("sort_order"))
    created = 0
    for keys, zone, booth in spec["exhibitors"]:
        products = _products(keys)
        if not products:
            continue
        exhibitor, was_created = Exhibitor.objects.get_or_create(
            fair=fair,
            producer=products[0].producer,
            defaults={
                "status": Exhibitor.Status.ACCEPTED,
                "zone": zones[zone],
                "booth": booth,
                "decided_at": timezone.now(),
            },
        )
        if was_created:
            exhibitor.products.set(products)
        created += was_created
    for keys in spec["applied"]:
        products = _products(keys)
        if products:
            exhibitor, was_created = Exhibitor.objects.get_or_create(
                fair=fair,
                producer=products[0].producer,
                defaults={
                    "message": "Chúng tôi muốn trưng bày cam Cao Phong vụ mới. "
                    "We would like to show this season's oranges."
                },
            )
            if was_created:
                exhibitor.products.set(products)
            created += was_created
    return created


def _demo_meeting(fair, producer):
    """One request waiting in the demo producer's admin (no email is sent for it)."""
    exhibitor = fair.exhibitors.filter(producer=producer, status=Exhibitor.Status.ACCEPTED).first()
    token = uuid.uuid5(NAMESPACE, f"meeting-{fair.slug}")
    if exhibitor is None:
        return 0
    existing = MeetingRequest.objects.filter(form_token=token).first()
    start, end = fair.slots()[4]  # 10:00 on the first day
    if existing is not None:
        # The fair moved with today's date: the request moves with it, unless a real request holds that time.
        clash = exhibitor.meetings.holding_slot().filter(starts_at=start).exclude(pk=existing.pk).exists()
        if not clash:
            MeetingRequest.objects.filter(pk=existing.pk).update(exhibitor=exhibitor, starts_at=start, ends_at=end)
        return 0
    MeetingRequest.objects.create(
        exhibitor=exhibitor,
        starts_at=start,
        ends_at=end,
        name="Sophie Laurent",
        company="Maison Laurent Céramique",
        email="sophie.laurent@example.fr",
        phone="+33142000000",
        country="FR",
        language="en",
        message="We sell Vietnamese ceramics in Lyon and would like to see your crackle-glaze vases "
        "and discuss a first order.",
        consent_at=timezone.now(),
        form_token=token,
    )
    return 1


def _escalated_meeting(fair, producer):
    """A request the slow producer neither accepted nor declined: reminded, then escalated to the agency,
    as `follow_up_requests` leaves it (no email is sent for it). Another tea exhibitor of the fair matches."""
    exhibitor = fair.exhibitors.filter(producer=producer, status=Exhibitor.Status.ACCEPTED).first()
    token = uuid.uuid5(NAMESPACE, f"escalated-meeting-{fair.slug}")
    if exhibitor is None:
        return 0
    start, end = fair.slots()[6]  # 11:00 on the first day
    existing = MeetingRequest.objects.filter(form_token=token).first()
    if existing is not None:
        clash = exhibitor.meetings.holding_slot().filter(starts_at=start).exclude(pk=existing.pk).exists()
        if not clash and existing.exhibitor_id == exhibitor.pk:
            MeetingRequest.objects.filter(pk=existing.pk).update(starts_at=start, ends_at=end)
        return 0
    received = timezone.now() - datetime.timedelta(days=10)
    meeting = MeetingRequest.objects.create(
        exhibitor=exhibitor,
        starts_at=start,
        ends_at=end,
        name="Hiroshi Sato",
        company="Sato Tea House",
        email="h.sato@example.jp",
        country="JP",
        language="en",
        message="We blend green teas for cafés in Kyoto and would like to taste your Tân Cương tea at the fair.",
        consent_at=received,
        created_at=received,
        form_token=token,
        escalated_at=received + datetime.timedelta(days=6),
    )
    for step, days in ((MeetingFollowUp.Step.REMINDED, 3), (MeetingFollowUp.Step.ESCALATED, 6)):
        MeetingFollowUp.objects.create(
            meeting=meeting, step=step, waiting_since=received, created_at=received + datetime.timedelta(days=days)
        )
    return 1


@transaction.atomic
def load_demo_fairs(producer=None, today=None, slow_producer=None):
    """Returns (fairs, exhibitors created, meetings created)."""
    today = today or timezone.localdate()
    fair_index = ensure_fair_index()
    upcoming = _fair(fair_index, UPCOMING, today)
    past = _fair(fair_index, PAST, today)
    exhibitors = _exhibitors(upcoming, UPCOMING) + _exhibitors(past, PAST)
    meetings = _demo_meeting(upcoming, producer) if producer is not None else 0
    if slow_producer is not None:
        meetings += _escalated_meeting(upcoming, slow_producer)
    return [upcoming, past], exhibitors, meetings


# Buyers' meetings at the past fair for the demand figures: a fixed seed makes the same history
# on every run; the buyers' e-mail domain marks them, so a second run adds none.
HISTORY_DOMAIN = "buyers.demo.example"
HISTORY_COUNTRIES = ["VN", "VN", "VN", "DE", "JP", "KR", "FR", "US", "SG"]


def load_demo_meeting_history(seed=24):
    """Meetings requested, accepted, declined and held with the past fair's exhibitors; returns how many."""
    if MeetingRequest.objects.filter(email__endswith="@" + HISTORY_DOMAIN).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    past = FairPage.objects.filter(ends_on__lt=today).order_by("-ends_on").first()
    if past is None:
        return 0
    slots = past.slots()
    created = 0
    for exhibitor in past.exhibitors.filter(status=Exhibitor.Status.ACCEPTED).order_by("pk"):
        for start, end in rng.sample(slots, min(len(slots), rng.randint(3, 9))):
            country = rng.choice(HISTORY_COUNTRIES)
            requested_at = start - datetime.timedelta(days=rng.uniform(2, 20))
            status = rng.choices(
                [MeetingRequest.Status.ACCEPTED, MeetingRequest.Status.DECLINED, MeetingRequest.Status.REQUESTED],
                [6, 2, 1],
            )[0]
            created += 1
            MeetingRequest.objects.create(
                exhibitor=exhibitor,
                starts_at=start,
                ends_at=end,
                status=status,
                name=f"Demo buyer {created}",
                email=f"meeting{created}@{HISTORY_DOMAIN}",
                country=country,
                language="vi" if country == "VN" else "en",
                consent_at=requested_at,
                created_at=requested_at,
                decided_at=None
                if status == MeetingRequest.Status.REQUESTED
                else requested_at + datetime.timedelta(days=1),
            )
    return created
