"""The search contract: what a buyer asks (SearchQuery) and what any engine answers (SearchResult).

The page, the autocomplete endpoint and the API parse the same GET parameters here, hand
the query to whichever engine settings choose (search.engines.get_engine) and render the
same result. Engines see only validated values: bad input becomes a message, never a 500.
"""

import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalogue.lookups import forget, reference
from catalogue.models import Category, ProductPage, Province, QualityCertification
from catalogue.params import is_slug, plain_text, whole_number
from catalogue.text import fold, words

from .stemming import stems

PAGE_SIZE = 24
MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
STAR_CHOICES = (3, 4, 5)
SORTS = {
    "relevance": _("Relevance"),
    "stars": _("Stars"),
    "newest": _("Newest"),
    "name": _("Name"),
}
QUALITY_SCHEMES = dict(QualityCertification.Scheme.choices)
# One bit per quality-certification scheme; the index stores a product's schemes as a mask.
QUALITY_BITS = {scheme: 1 << position for position, scheme in enumerate(QualityCertification.Scheme.values)}
FACETS = ("province", "category", "stars", "quality")
MAX_TERMS = 32
MAX_SLUG_LENGTH = 64


def terms(text):
    """The folded words of a query, at most 32, plurals made singular as in the index."""
    return stems(words(text)[:MAX_TERMS])


def _first(params, name):
    value = params.get(name, "")
    return value if isinstance(value, str) else ""


def _list(params, name):
    if hasattr(params, "getlist"):
        return params.getlist(name)
    value = params.get(name) or []
    return [value] if isinstance(value, str) else list(value)


@dataclass
class SearchQuery:
    """A validated search. Build it with `SearchQuery.from_params(request.GET)`."""

    q: str = ""
    province: Province | None = None
    legacy_province: Province | None = None
    category: Category | None = None
    stars: int | None = None
    sample: bool = False
    qualities: list[str] = field(default_factory=list)  # quality-certification scheme slugs
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    on: object = None  # the day visibility is judged on; today unless a test says otherwise
    messages: list[str] = field(default_factory=list)
    # An unknown slug: nothing can match, but the page still renders with a message.
    impossible: bool = False

    @classmethod
    def from_params(cls, params, page_size=PAGE_SIZE, on=None):
        query = cls(page_size=page_size, on=on or timezone.localdate())
        raw_q = plain_text(_first(params, "q"))
        if len(raw_q) > MAX_QUERY_LENGTH:
            query.messages.append(
                ngettext(
                    "Your search was shortened to its first %(n)s character.",
                    "Your search was shortened to its first %(n)s characters.",
                    MAX_QUERY_LENGTH,
                )
                % {"n": MAX_QUERY_LENGTH}
            )
            raw_q = raw_q[:MAX_QUERY_LENGTH].strip()
        query.q = " ".join(raw_q.split())

        province_slug = plain_text(_first(params, "province"), MAX_SLUG_LENGTH)
        if province_slug:
            province, legacy = _province_by_slug(province_slug)
            if province is None:
                query.messages.append(
                    gettext("No province is called “%(slug)s”; nothing matches it.") % {"slug": province_slug}
                )
                query.impossible = True
            else:
                query.province, query.legacy_province = province, legacy
                if legacy is not None:
                    query.messages.append(
                        gettext(
                            "%(legacy)s merged into %(province)s on 1 July 2025; showing products from %(province)s."
                        )
                        % {"legacy": legacy.name, "province": province.name}
                    )

        category_slug = plain_text(_first(params, "category"), MAX_SLUG_LENGTH)
        if category_slug:
            query.category = _category_by_slug(category_slug)
            if query.category is None:
                query.messages.append(
                    gettext("No product group is called “%(slug)s”; nothing matches it.") % {"slug": category_slug}
                )
                query.impossible = True

        stars = _first(params, "stars").strip()
        if stars:
            number = whole_number(stars, max(STAR_CHOICES))
            if number in STAR_CHOICES:
                query.stars = number
            else:
                query.messages.append(gettext("Stars must be 3, 4 or 5; showing every star class."))

        query.sample = _first(params, "sample").strip().lower() in {"1", "true", "yes", "on"}

        for scheme in dict.fromkeys(s.strip().lower() for s in _list(params, "quality") if isinstance(s, str)):
            if not scheme:
                continue
            if scheme in QUALITY_BITS:
                query.qualities.append(scheme)
            else:
                query.messages.append(
                    gettext("No quality certification is called “%(scheme)s”; nothing matches it.")
                    % {"scheme": scheme[:32]}
                )
                query.impossible = True

        sort = _first(params, "sort").strip()
        if sort in SORTS:
            query.sort = sort
        elif sort:
            query.messages.append(gettext("Unknown sort order; sorting by relevance."))

        page = _first(params, "page").strip()
        if page:
            number = whole_number(page, MAX_PAGE, minimum=1)
            if number is None:
                query.messages.append(gettext("That page does not exist; showing the first page."))
            else:
                query.page = number
        return query

    @property
    def terms(self):
        return terms(self.q)

    @property
    def category_code(self):
        return self.category.code if self.category else None

    @property
    def category_codes(self):
        """The group's code and every code below it, e.g. 1.4 -> [1.4, 1.4.a, 1.4.b]."""
        return reference().subtree_codes(self.category.code)

    @property
    def quality_mask(self):
        return sum(QUALITY_BITS[s] for s in self.qualities)

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    def active(self, facet):
        """Whether the filter behind a facet is set (that facet is counted without it)."""
        return {
            "province": self.province is not None,
            "category": self.category is not None,
            "stars": self.stars is not None,
            "quality": bool(self.qualities),
        }[facet]

    @property
    def facet_filter_count(self):
        """How many filters the facet sidebar has set; each quality certification counts once."""
        return sum(value is not None for value in (self.province, self.category, self.stars)) + len(self.qualities)

    def as_params(self, **changes):
        """GET parameters for this search with some changed, for facet and pager links."""
        params = {
            "q": self.q,
            "province": self.province.slug if self.province else "",
            "category": self.category.slug if self.category else "",
            "stars": self.stars or "",
            "sample": "1" if self.sample else "",
            "quality": list(self.qualities),
            "sort": "" if self.sort == "relevance" else self.sort,
        }
        params.update(changes)
        return {k: v for k, v in params.items() if v not in ("", None, [])}


@dataclass
class FacetBucket:
    value: str
    label: str
    count: int
    selected: bool = False
    depth: int = 1


@dataclass
class EngineAnswer:
    """What an engine returns: page ids in order, the total, raw facet counts."""

    ids: list[int]
    total: int
    # facet name -> {key: count}; province keys are Province ids, category keys leaf codes,
    # stars keys exact star classes, quality keys scheme slugs.
    facet_counts: dict
    messages: list[str] = field(default_factory=list)
    engine: str = ""


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


def _province_by_slug(slug):
    """As Province.objects.by_slug, answered from the cached reference data (the database on a miss)."""
    if not is_slug(slug):
        return None, None
    if reference().province_eras(slug):
        return reference().province_by_slug(slug)
    return Province.objects.by_slug(slug)


def _category_by_slug(slug):
    if not is_slug(slug):
        return None
    found = reference().category_by_slug(slug)
    return found if found is not None else Category.objects.filter(slug=slug).first()


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

    Provinces and product groups (with their parents) come from the cached reference data,
    so the statement joins two tables fewer. What only a card shows (producer, gallery,
    current record) the page and the API load for the whole list with
    `catalogue.models.prefetch_cards`.
    """
    pages = ProductPage.objects.visible(on).filter(pk__in=ids)
    by_id = {p.pk: p for p in pages}
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
    from .tasks import reindex

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
    from .engines import get_engine

    engine = engine or get_engine()
    if query.impossible:
        answer, hits = empty_answer(engine.name), []
    else:
        answer, hits = _shown(lambda: engine.search(query), query.on)
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
        query.page = num_pages
        if answer.total:
            answer, hits = _shown(lambda: engine.search(query), query.on)
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


def suggest(q, limit, on=None, engine=None):
    """Product pages for the search box: the engine's prefix matches, re-checked as `search` does."""
    from .engines import get_engine

    if not terms(q):
        return []
    engine = engine or get_engine()
    on = on or timezone.localdate()
    _answer, pages = _shown(lambda: engine.suggest(q, limit=limit, on=on), on)
    return pages[:limit]
