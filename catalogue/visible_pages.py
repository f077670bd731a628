"""THE visibility rule over a short list of product ids, its statement compiled once a day.

Search re-checks every page of hits against `ProductPage.objects.visible()` (search/contract.py).
Building and compiling that query (Wagtail's forty page columns, the current-record subquery,
the view restrictions) cost more than running it: about 5 of the 10 ms it took to load 24
hits. The statement only changes with the day, the number of ids and the view restrictions,
so each process compiles it once per such key, with placeholder ids, and then runs it with
the real ones. The rule itself stays in one place: the statement is the ORM's own.
"""

import threading

from django.db import router
from django.utils import timezone

from .models import ProductPage
from .restrictions import restricted_sections

# Distinct ids no page has, so each one's place among the statement's parameters is known.
_PLACEHOLDER = -1_000_000
_KEEP = 64  # compiled statements kept per process (a day holds a few page sizes)
_compiled = {}
_lock = threading.Lock()


def _restrictions():
    """What `.public()` builds its condition from (catalogue.restrictions: read once per
    read-only request, else each time): the restricted subtrees."""
    return tuple(sorted(restricted_sections()))


def _compile(alias, on, count):
    """(sql, parameters, where each id goes) or None when the ids are not bound one by one."""
    placeholders = [_PLACEHOLDER - i for i in range(count)]
    queryset = ProductPage.objects.using(alias).visible(on).filter(pk__in=placeholders)
    sql, params = queryset.query.get_compiler(using=alias).as_sql()
    params = list(params)
    try:
        positions = [params.index(value) for value in placeholders]
    except ValueError:
        return None
    return sql, params, positions


def visible_pages(ids, on=None):
    """The product pages among `ids` that the rule allows on `on` (default today), by path.

    The same pages as `ProductPage.objects.visible(on).filter(pk__in=ids)`, which is used
    instead whenever a statement cannot be reused.
    """
    on = on or timezone.localdate()
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    alias = router.db_for_read(ProductPage)
    restricted = _restrictions()
    key = (alias, on, len(ids), restricted)
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compile(alias, on, len(ids))
        # Kept only if no restriction changed while it compiled (it read them again).
        if compiled is not None and _restrictions() == restricted:
            with _lock:
                if len(_compiled) >= _KEEP:
                    _compiled.clear()
                _compiled[key] = compiled
    if compiled is None:
        return list(ProductPage.objects.using(alias).visible(on).filter(pk__in=ids))
    sql, params, positions = compiled
    params = list(params)
    for position, page_id in zip(positions, ids, strict=True):
        params[position] = page_id
    return list(ProductPage.objects.raw(sql, params, using=alias))
