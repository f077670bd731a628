"""{{ amount|vnd }}: whole đồng grouped the way the reader's language writes them (275.000 ₫, 275,000 ₫)."""

from django import template

from marketplace.orders import pricing

register = template.Library()
register.filter("vnd", pricing.vnd)
