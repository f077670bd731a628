"""The search contract: a buyer's SearchQuery in, the SearchResult a page renders out.

The page, the autocomplete endpoint and the API parse the same GET parameters
(search.query.SearchQuery), hand the query to whichever engine settings choose
(search.engines.get_engine) and render the same result, every hit re-checked against THE
visibility rule.
"""

import math
from dataclasses import dataclass, replace

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from catalogue.lookups import forget, reference
from catalogue.text import fold
from catalogue.visible_pages import visible_pages

from .engines import get_engine
from .query import QUALITY_SCHEMES, STAR_CHOICES, EngineAnswer, SearchQuery, terms
from .synonyms import relaxed
from .tasks import reindex


@dataclass
class FacetBucket:
    value: str
    label: str
    count: int
    selected: bool = False
    depth: int = 1


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list
    total: int
    facets: dict
    messages: list[str]
    page: int
    num_pages: int
    engine: str = ""

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def has_previous(self):
        return self.page > 1


def _current_provinces(needed):
    """Current provinces by id from the reference data (reloaded once if an id is unknown)."""
    if not set(needed) <= reference().current_provinces.keys():
        forget()
    return reference().current_provinces


def build_facets(query, counts):
    """Turn raw counts into labelled buckets: every province with products, groups rolled up."""
    wanted = {*counts.get("province", {}), *([query.province.pk] if query.province else [])}
    provinces = _current_provinces(wanted)
    selected_province = query.province.slug if query.province else None
    selected_category = query.category.code if query.category else None
    province_buckets = [
        FacetBucket(p.slug, p.name, counts.get("province", {}).get(pk, 0), selected_province == p.slug)
        for pk, p in provinces.items()
        if counts.get("province", {}).get(pk, 0) or selected_province == p.slug
    ]
    province_buckets.sort(key=lambda b: (-b.count, fold(b.label)))

    category_totals = {}
    for code, count in counts.get("category", {}).items():
        parts = code.split(".")
        for depth in range(1, len(parts) + 1):
            ancestor = ".".join(parts[:depth])
            category_totals[ancestor] = category_totals.get(ancestor, 0) + count
    category_buckets = [
        FacetBucket(c.slug, c.localized_name, category_totals.get(c.code, 0), selected_category == c.code, c.depth)
        for c in reference().categories
        if category_totals.get(c.code) or selected_category == c.code
    ]

    star_counts = counts.get("stars", {})
    star_buckets = [
        FacetBucket(
            str(s),
            gettext("%(stars)s★ and above") % {"stars": s},
            sum(n for k, n in star_counts.items() if int(k) >= s),
            query.stars == s,
        )
        for s in STAR_CHOICES
    ]
    quality_counts = counts.get("quality", {})
    quality_buckets = [
        FacetBucket(scheme, str(label), quality_counts.get(scheme, 0), scheme in query.qualities)
        for scheme, label in QUALITY_SCHEMES.items()
        if quality_counts.get(scheme, 0) or scheme in query.qualities
    ]
    return {
        "province": province_buckets,
        "category": category_buckets,
        "stars": star_buckets,
        "quality": quality_buckets,
    }


def load_hits(ids, on=None):
    """Product pages for the ids, in order, re-checked against THE visibility rule.

    The rule's statement is compiled once a day per process (catalogue.visible_pages).
    Provinces and product groups (with their parents) come from the cached reference data,
    so the statement joins two tables fewer. What only a card shows (producer, gallery) the page
    and the API load for the whole list with `catalogue.models.prefetch_cards`, and the API each
    product's current record with `prefetch_records`.
    """
    by_id = {p.pk: p for p in visible_pages(ids, on)}
    known = reference()
    if any(p.province_id not in known.provinces or p.category_id not in known.categories_by_id for p in by_id.values()):
        forget()
        known = reference()
    provinces, categories = known.provinces, known.categories_by_id
    for page in by_id.values():
        if page.province_id in provinces:
            page.province = provinces[page.province_id]
        if page.category_id in categories:
            page.category = categories[page.category_id]
    return [by_id[i] for i in ids if i in by_id]


def empty_answer(engine=""):
    return EngineAnswer(ids=[], total=0, facet_counts={}, engine=engine)


def _repair(stale_ids):
    """Re-index entries the rule no longer allows, at once, so the next answer leaves them out."""
    reindex(sorted(stale_ids))


def _shown(ask, on):
    """Run `ask()` (an engine call returning page ids) and load the pages the rule allows.

    Every change the catalogue makes re-indexes what it touches (search.signals), but a
    write that reaches the database without them (a queryset update, a restored backup, a
    decision signed for a later day) leaves an entry the rule now refuses. Such an entry
    is re-indexed here and the engine asked again, so a count is what can be shown.
    Returns (the engine's last answer, the pages).
    """
    answer = ask()
    ids = answer.ids if isinstance(answer, EngineAnswer) else answer
    hits = load_hits(ids, on) if ids else []
    if len(hits) < len(ids):
        _repair(set(ids) - {hit.pk for hit in hits})
        answer = ask()
        ids = answer.ids if isinstance(answer, EngineAnswer) else answer
        hits = load_hits(ids, on) if ids else []
    return answer, hits


def search(query, engine=None, past_the_end="last"):
    """Run a query on the configured engine and return a SearchResult.

    A page past the last shows the last page with a message (`past_the_end="last"`, the
    search page) or no hits at all (`"empty"`, the API, whose clients page until the end).
    """
    engine = engine or get_engine()
    asked = query
    if query.impossible:
        answer, hits = empty_answer(engine.name), []
    else:
        answer, hits = _shown(lambda: engine.search(query), query.on)
        if not answer.total and query.q.isascii():  # typed with Vietnamese marks: not English
            asked, answer, hits = _relaxed(engine, query, answer, hits)
    num_pages = max(1, math.ceil(answer.total / query.page_size))
    messages = [*query.messages, *answer.messages]
    if query.page > num_pages and past_the_end == "empty":
        answer.ids, hits = [], []
    elif query.page > num_pages:
        if answer.total:
            messages.append(
                ngettext(
                    "There is only %(n)s page; showing the last one.",
                    "There are only %(n)s pages; showing the last one.",
                    num_pages,
                )
                % {"n": num_pages}
            )
        query.page = asked.page = num_pages
        if answer.total:
            answer, hits = _shown(lambda: engine.search(asked), query.on)
    return SearchResult(
        query=query,
        hits=hits,
        total=answer.total,
        facets=build_facets(query, answer.facet_counts),
        messages=messages,
        page=query.page,
        num_pages=num_pages,
        engine=answer.engine,
    )


def _relaxed(engine, query, answer, hits):
    """When nothing matches every word of an English query, the first shorter query that
    matches (search.synonyms.relaxed: the head noun kept, modifiers dropped), with a message
    saying so; else the empty answer as it was. Returns (the query asked, answer, hits)."""
    for words in relaxed(query.terms):
        shorter = replace(query, q=" ".join(words), messages=[])
        found, shown = _shown(lambda shorter=shorter: engine.search(shorter), query.on)
        if found.total:
            found.messages = [
                gettext("Nothing matches every word of “%(q)s”; showing products for “%(words)s”.")
                % {"q": query.q, "words": shorter.q},
                *found.messages,
            ]
            return shorter, found, shown
    return query, answer, hits


def suggest(q, limit, on=None, engine=None):
    """Product pages for the search box: the engine's prefix matches, re-checked as `search` does."""
    if not terms(q):
        return []
    engine = engine or get_engine()
    on = on or timezone.localdate()
    _answer, pages = _shown(lambda: engine.suggest(q, limit=limit, on=on), on)
    return pages[:limit]
