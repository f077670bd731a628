"""The inquiries' demand events (marketplace.shared.events): each inquiry received, and its first reply."""

from django.db.models import Min, Q

from ..shared import events
from .models import Inquiry, InquiryMessage

REPLIES = (InquiryMessage.Author.PRODUCER, InquiryMessage.Author.AGENCY)


def inquiry_events(start, end, producer_ids=None):
    first, after = events.bounds(start, end)
    inquiries = Inquiry.objects.all()
    if producer_ids is not None:
        inquiries = inquiries.filter(Q(product__producer_id__in=producer_ids) | Q(recipients__in=producer_ids))
    inquiries = inquiries.annotate(
        replied_at=Min("messages__created_at", filter=Q(messages__author__in=REPLIES))
    ).filter(Q(created_at__gte=first, created_at__lt=after) | Q(replied_at__gte=first, replied_at__lt=after))
    rows = inquiries.values_list(
        "pk",
        "created_at",
        "replied_at",
        "product_id",
        "product__producer_id",
        "product__province_id",
        "province_id",
        "product__category__code",
        "category__code",
        "country",
    ).distinct()
    for (
        _pk,
        created_at,
        replied_at,
        product_id,
        producer_id,
        province,
        wanted_province,
        code,
        wanted_code,
        country,
    ) in rows:
        common = {
            "product_id": product_id,
            "producer_id": producer_id,
            "province_id": province or wanted_province,
            "category_code": code or wanted_code or "",
            "country": str(country or ""),
        }
        if first <= created_at < after:
            yield events.Event(day=events.local_day(created_at), stage="inquiry", **common)
        if replied_at and first <= replied_at < after:
            yield events.Event(day=events.local_day(replied_at), stage="reply", **common)


events.register("inquiries", inquiry_events)
