"""What a sample order costs, computed on the server only: whole đồng, and US cents at the agency's rate."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import ShippingZone

DOMESTIC_ZONE = _("Domestic (Vietnam)")


def vnd(value):
    """Whole đồng grouped the way the reader's language writes them (275.000 ₫, 275,000 ₫)."""
    if value in (None, ""):
        return ""
    separator = "," if (get_language() or "vi").startswith("en") else "."
    return f"{int(value):,}".replace(",", separator) + " ₫"


class NoShipping(Exception):
    """The agency set no shipping zone that covers the country."""


@dataclass(frozen=True)
class Quote:
    quantity: int
    unit_price_vnd: int
    shipping_fee_vnd: int
    shipping_zone: str
    usd_rate: Decimal

    @property
    def total_vnd(self):
        return self.unit_price_vnd * self.quantity + self.shipping_fee_vnd

    @property
    def total_usd_cents(self):
        return usd_cents(self.total_vnd, self.usd_rate)


def usd_cents(amount_vnd, rate):
    """Đồng to whole US cents, half up: 1,000,000 ₫ at 25,400 ₫/$ is $39.37."""
    return int((Decimal(amount_vnd) * 100 / Decimal(rate)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def quote(product, quantity, country, order_settings):
    if country == "VN":
        fee, zone = order_settings.domestic_fee_vnd, str(DOMESTIC_ZONE)
    else:
        found = ShippingZone.for_country(country)
        if found is None:
            raise NoShipping(country)
        fee, zone = found.fee_vnd, found.name
    return Quote(
        quantity=int(quantity),
        unit_price_vnd=int(product.sample_price_vnd),
        shipping_fee_vnd=int(fee),
        shipping_zone=zone,
        usd_rate=order_settings.usd_rate,
    )
