"""{% usd_indicative low high %}: the indicative US dollar figure beside a price in đồng, at the agency's rate.

"≈ US$3.35–4.72 (indicative, at 25,400 ₫/US$)", its numbers written the way the reader's
language writes them (Django's formats: 25.400 and 3,35 in Vietnamese); nothing at all
without a price or a rate.
"""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext

from catalogue import page_tree

from ..orders.models import SampleOrderSettings
from ..orders.pricing import usd_cents

register = template.Library()


def _dollars(amount_vnd, rate):
    return floatformat(Decimal(usd_cents(amount_vnd, rate)) / 100, "2g")


@register.simple_tag(takes_context=True)
def usd_indicative(context, low_vnd, high_vnd=None):
    if not low_vnd:
        return ""
    # The agency's rate as this process read it under the page tree's version (a saved
    # setting writes a new one), not a query per page.
    rate = page_tree.kept("usd rate", lambda: SampleOrderSettings.load().usd_rate)
    if rate is page_tree.NOT_KEPT:
        rate = SampleOrderSettings.load(request_or_site=context.get("request")).usd_rate
    if not rate or rate <= 0:
        return ""
    amount = _dollars(low_vnd, rate)
    if high_vnd and high_vnd != low_vnd:
        amount = f"{amount}–{_dollars(high_vnd, rate)}"
    return gettext("≈ US$%(amount)s (indicative, at %(rate)s ₫/US$)") % {
        "amount": amount,
        "rate": floatformat(rate, "-2g"),
    }
