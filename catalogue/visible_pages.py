"""THE visibility rule over a short list of product ids, its statement compiled once a day.

Search re-checks every page of hits against `ProductPage.objects.visible()` (search/contract.py).
Building and compiling that query (Wagtail's forty page columns, the current-record subquery,
the view restrictions) cost more than running it: about 5 of the 10 ms it took to load 24
hits. The statement only changes with the day, the number of ids and the view restrictions,
so each process compiles it once per such key (catalogue.statements) and then runs it with the
real ids. The rule itself stays in one place: the statement is the ORM's own.
"""

from django.utils import timezone

from .models import ProductPage
from .restrictions import public_key
from .statements import Statement

_VISIBLE = Statement(lambda ids, on: ProductPage.objects.visible(on).filter(pk__in=ids))


def visible_pages(ids, on=None):
    """The product pages among `ids` that the rule allows on `on` (default today), by path:
    `ProductPage.objects.visible(on).filter(pk__in=ids)`."""
    on = on or timezone.localdate()
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    return _VISIBLE(ids, key=public_key(on), on=on)
