"""What a buyer asks (SearchQuery) and what an engine answers (EngineAnswer).

Every engine and the index speak this vocabulary: `SearchQuery.from_params` turns GET
parameters into validated values (bad input becomes a message, never a 500), and an engine
returns page ids, a total and raw facet counts. search.contract runs the query on the
engine settings choose and builds the SearchResult a page renders.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from catalogue.lookups import reference
from catalogue.models import Category, Province, QualityCertification
from catalogue.models.responsiveness import WITHIN_DAYS
from catalogue.params import is_slug, plain_text, whole_number
from catalogue.text import words

from .stemming import stems
from .tones import marked_terms

PAGE_SIZE = 24
MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000
STAR_CHOICES = (3, 4, 5)
SORTS = {
    "relevance": _("Relevance"),
    "stars": _("Stars"),
    "newest": _("Newest"),
    "name": _("Name"),
    "responsive": _("Fastest replies"),
}
# The reply-time filter's choices: working days -> label.
RESPONDS = {1: _("Replies within a day"), 2: _("Replies within 2 days"), 5: _("Replies within a week")}
QUALITY_SCHEMES = dict(QualityCertification.Scheme.choices)
# One bit per quality-certification scheme; the index stores a product's schemes as a mask.
QUALITY_BITS = {scheme: 1 << position for position, scheme in enumerate(QualityCertification.Scheme.values)}
FACETS = ("province", "category", "stars", "quality")
MAX_TERMS = 32
# English function words, dropped from queries (`terms`). None is a folded Vietnamese
# syllable: "a", "an" (ăn), "in" (in), "to" (tơ, tổ) and "the" (thế) are, and stay.
STOP_WORDS = frozenset({"and", "of", "with", "for", "from", "or", "by"})
MAX_SLUG_LENGTH = 64


def terms(text):
    """The folded words of a query, at most 32, plurals made singular as in the index, without
    the English words that only join others ("dried fruit for tea", "salt and pepper"): no
    product name needs them to match, and "and" would hold every product to a word its
    composed name rarely has. A query of nothing else keeps them."""
    found = stems(words(text)[:MAX_TERMS])
    meaningful = [word for word in found if word not in STOP_WORDS]
    return meaningful or found


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
    # Only producers whose median first reply takes at most this many working days (1, 2 or 5).
    responds: int | None = None
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

        responds = _first(params, "responds").strip()
        if responds:
            number = whole_number(responds, max(WITHIN_DAYS))
            if number in WITHIN_DAYS:
                query.responds = number
            else:
                query.messages.append(gettext("Reply time must be 1, 2 or 5 working days; showing every producer."))

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
    def marked(self):
        """The terms with the marks the buyer typed (search.tones), or None if typed without any."""
        return marked_terms(self.q, self.terms)

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
            "responds": self.responds or "",
            "quality": list(self.qualities),
            "sort": "" if self.sort == "relevance" else self.sort,
        }
        params.update(changes)
        return {k: v for k, v in params.items() if v not in ("", None, [])}


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
