"""The sample orders' demand events (marketplace.shared.events): each order placed, and its payment."""

from django.db.models import Min, Q

from ..shared import events
from .models import OrderState, SampleOrder


def order_events(start, end, producer_ids=None):
    first, after = events.bounds(start, end)
    orders = SampleOrder.objects.all()
    if producer_ids is not None:
        orders = orders.filter(producer_id__in=producer_ids)
    orders = orders.annotate(paid_at=Min("transitions__at", filter=Q(transitions__to_state=OrderState.PAID))).filter(
        Q(created_at__gte=first, created_at__lt=after) | Q(paid_at__gte=first, paid_at__lt=after)
    )
    rows = orders.values_list(
        "created_at",
        "paid_at",
        "product_id",
        "producer_id",
        "product__province_id",
        "product__category__code",
        "country",
    )
    for created_at, paid_at, product_id, producer_id, province, code, country in rows:
        common = {
            "product_id": product_id,
            "producer_id": producer_id,
            "province_id": province,
            "category_code": code or "",
            "country": str(country or ""),
        }
        if first <= created_at < after:
            yield events.Event(day=events.local_day(created_at), stage="sample", **common)
        if paid_at and first <= paid_at < after:
            yield events.Event(day=events.local_day(paid_at), stage="payment", **common)


events.register("orders", order_events)
