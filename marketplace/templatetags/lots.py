"""{% product_lots page %}: the product page's "Lots and traceability" list (its latest lots)."""

from django import template

from catalogue.statements import Statement
from marketplace.lots.models import Lot

register = template.Library()

# A product page lists its latest lots; older ones stay reachable by their QR codes.
SHOWN = 12


@register.inclusion_tag("marketplace/includes/product_lots.html")
def product_lots(product):
    return {"lots": _LATEST(product.pk)}


# Compiled once per process (catalogue.statements).
_LATEST = Statement(
    lambda product: Lot.objects.filter(product=product).only("pk", "code", "produced_on", "best_before")[:SHOWN]
)
