"""{{ amount|vnd }}: whole đồng grouped the way the reader's language writes them (275.000 ₫, 275,000 ₫)."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def vnd(value):
    if value in (None, ""):
        return ""
    separator = "," if (get_language() or "vi").startswith("en") else "."
    return f"{int(value):,}".replace(",", separator) + " ₫"
