"""The demand figures: each one a title, categories and named series of numbers, read from the
daily counters (marketplace.demand.models) and the buyer events the wings register
(marketplace.shared.events). Views draw them as charts with their tables and download them.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django_countries import countries

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from catalogue.models import Category, Producer, ProductPage, Province

from ..shared import charts
from ..shared import events as buyer_events
from .models import AppearanceDay, PageViewDay, SearchDay

# A period longer than this is drawn per month, shorter per week.
WEEKLY_UP_TO_DAYS = 120
TOP_VALUES = 6  # lines drawn in "over time": the largest values; the rest are summed as "Other"
TOP_SEARCHES = 15
# The median of fewer products could give away one other producer's own figures.
MIN_PEERS = 5

# What a buyer does that shows demand for a product (views aside).
DEMAND_STAGES = ("inquiry", "sample", "meeting_requested")
FUNNEL_STAGES = ("inquiry", "reply", "sample", "payment")
MEETING_STAGES = ("meeting_requested", "meeting_accepted", "meeting_held")

DIMENSIONS = {
    "group": _("Product group"),
    "subgroup": _("Sub-group"),
    "province": _("Province"),
    "country": _("Buyer's country"),
}


@dataclass
class Figure:
    """What a chart draws and a download holds: one row per category, one column per series."""

    key: str
    kind: str  # "line" or "bar"
    title: str
    categories: list
    series: list  # [(name, [number or None, …]), …]
    x_label: str = ""
    y_label: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def chart(self):
        """The figure drawn as a line or bar chart, with its sentence and table."""
        return charts.Chart(
            kind=self.kind,
            title=self.title,
            categories=self.categories,
            series=[charts.Series(name=name, values=values) for name, values in self.series],
            x_label=self.x_label,
            y_label=self.y_label,
        )

    @property
    def empty(self):
        return not self.categories or not any(v for _name, values in self.series for v in values if v)

    def rows(self):
        """Header then one row per category: what the CSV and XLSX downloads hold."""
        yield [str(self.x_label), *(str(name) for name, _values in self.series)]
        for index, category in enumerate(self.categories):
            yield [str(category), *("" if values[index] is None else values[index] for _name, values in self.series)]


# Periods and buckets


def buckets(start, end, monthly=None):
    """[(label, first day, last day)] covering start..end: weeks from Monday, or calendar months."""
    if monthly is None:
        monthly = (end - start).days > WEEKLY_UP_TO_DAYS
    result = []
    if monthly:
        day = start.replace(day=1)
        while day <= end:
            following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            result.append((f"{day:%Y-%m}", max(day, start), min(following - datetime.timedelta(days=1), end)))
            day = following
    else:
        day = start - datetime.timedelta(days=start.weekday())
        while day <= end:
            last = day + datetime.timedelta(days=6)
            result.append((max(day, start).isoformat(), max(day, start), min(last, end)))
            day = last + datetime.timedelta(days=1)
    return result


def bucket_index(periods):
    """A function day -> index of its bucket (or None outside)."""
    starts = [first for _label, first, _last in periods]

    def index(day):
        if not periods or day < periods[0][1] or day > periods[-1][2]:
            return None
        position = 0
        for i, first in enumerate(starts):
            if first <= day:
                position = i
        return position

    return index


# Names of the values a figure groups by


def category_names():
    return {c.code: c.localized_name for c in Category.objects.all()}


def label_of(dimension, value, names):
    if not value:
        return str(_("Not known"))
    if dimension in ("group", "subgroup"):
        return names["categories"].get(value, value)
    if dimension == "province":
        return names["provinces"].get(value, str(value))
    return str(countries.name(value) or value)


def names_for():
    return {"categories": category_names(), "provinces": dict(Province.objects.values_list("pk", "name"))}


def value_of(event, dimension):
    if dimension == "group":
        return event.group
    if dimension == "subgroup":
        return event.subgroup
    if dimension == "province":
        return event.province_id
    return event.country


# The agency's figures


def demand_over_time(events, dimension, start, end):
    """Buyer requests (inquiries, sample orders, meeting requests) per week or month, by `dimension`."""
    periods = buckets(start, end)
    index = bucket_index(periods)
    names = names_for()
    # A meeting is with a producer, not about a product: it has no group, and is left out of those.
    demand = [e for e in events if e.stage in DEMAND_STAGES and value_of(e, dimension)]
    totals = Counter(value_of(e, dimension) for e in demand)
    top = [value for value, _count in totals.most_common(TOP_VALUES)]
    counts = defaultdict(lambda: [0] * len(periods))
    for event in demand:
        position = index(event.day)
        if position is None:
            continue
        value = value_of(event, dimension)
        counts[value if value in top else "__other"][position] += 1
    series = [(label_of(dimension, value, names), counts[value]) for value in top]
    if "__other" in counts:
        series.append((str(_("Other")), counts["__other"]))
    return Figure(
        key="over_time",
        kind="line",
        title=str(_("Buyer requests over time by %(dimension)s") % {"dimension": str(DIMENSIONS[dimension]).lower()}),
        categories=[label for label, _first, _last in periods],
        series=series,
        x_label=str(_("Period starting")),
        y_label=str(_("Inquiries, sample orders and meeting requests")),
    )


def product_facts(product_ids):
    """product id -> (producer id, province id, category code) for these products."""
    rows = ProductPage.objects.filter(pk__in=list(product_ids)).values_list(
        "pk", "producer_id", "province_id", "category__code"
    )
    return {pk: (producer, province, code or "") for pk, producer, province, code in rows}


def views_by(dimension, start, end):
    """Product page views in the period by group, sub-group or province (a view has no buyer's country)."""
    views = PageViewDay.objects.filter(day__gte=start, day__lte=end).values("page_id").annotate(total=Sum("views"))
    totals = {row["page_id"]: row["total"] for row in views}
    facts = product_facts(totals)
    names = names_for()
    counts = Counter()
    for page_id, total in totals.items():
        if page_id not in facts:
            continue  # a fair page
        _producer, province, code = facts[page_id]
        value = {"group": code.split(".")[0], "subgroup": ".".join(code.split(".")[:2]), "province": province}
        counts[value.get(dimension, "")] += total
    ordered = counts.most_common(12)
    return Figure(
        key="views",
        kind="bar",
        title=str(_("Product page views by %(dimension)s") % {"dimension": str(DIMENSIONS[dimension]).lower()}),
        categories=[label_of(dimension, value, names) for value, _count in ordered],
        series=[(str(_("Views")), [count for _value, count in ordered])],
        x_label=str(DIMENSIONS[dimension]),
        y_label=str(_("Views")),
    )


def top_searches(language, start, end, zero=False):
    """The searches run most often in `language` (or, with zero, those that found nothing most often)."""
    measure = "zero_results" if zero else "searches"
    rows = (
        SearchDay.objects.filter(day__gte=start, day__lte=end, language=language)
        .exclude(query="")
        .values("query")
        .annotate(total=Sum(measure))
        .filter(total__gt=0)
        .order_by("-total", "query")[:TOP_SEARCHES]
    )
    rows = list(rows)
    language_name = {"vi": _("Vietnamese"), "en": _("English")}.get(language, language)
    if zero:
        title = _("Searches in %(language)s that found nothing") % {"language": language_name}
    else:
        title = _("Top searches in %(language)s") % {"language": language_name}
    return Figure(
        key=f"{'zero' if zero else 'top'}_{language}",
        kind="bar",
        title=str(title),
        categories=[row["query"] for row in rows],
        series=[(str(_("Searches")), [row["total"] for row in rows])],
        x_label=str(_("Search (folded words)")),
        y_label=str(_("Searches")),
        extra={"language": language},
    )


def funnel(events, dimension):
    """Inquiries, replies, sample orders and payments by group or province."""
    names = names_for()
    counts = defaultdict(Counter)
    for event in events:
        if event.stage in FUNNEL_STAGES:
            counts[value_of(event, dimension)][event.stage] += 1
    ordered = sorted(counts, key=lambda value: -counts[value]["inquiry"])[:12]
    return Figure(
        key=f"funnel_{dimension}",
        kind="bar",
        title=str(_("From inquiry to payment by %(dimension)s") % {"dimension": str(DIMENSIONS[dimension]).lower()}),
        categories=[label_of(dimension, value, names) for value in ordered],
        series=[(str(buyer_events.STAGES[stage]), [counts[v][stage] for v in ordered]) for stage in FUNNEL_STAGES],
        x_label=str(DIMENSIONS[dimension]),
        y_label=str(_("Count")),
    )


def meetings_by_exhibitor(events):
    """Fair meetings requested, accepted and held, per exhibitor (producer at a fair)."""
    producers = dict(Producer.objects.values_list("pk", "name"))
    counts = defaultdict(Counter)
    for event in events:
        if event.stage in MEETING_STAGES:
            counts[(event.fair, event.producer_id)][event.stage] += 1
    ordered = sorted(counts, key=lambda key: (-counts[key]["meeting_requested"], key[0], key[1] or 0))[:15]
    return Figure(
        key="meetings",
        kind="bar",
        title=str(_("Fair meetings per exhibitor")),
        categories=[f"{producers.get(producer, '?')} · {fair}" for fair, producer in ordered],
        series=[(str(buyer_events.STAGES[stage]), [counts[key][stage] for key in ordered]) for stage in MEETING_STAGES],
        x_label=str(_("Exhibitor · fair")),
        y_label=str(_("Meetings")),
    )


def agency_figures(start, end, dimension):
    events = buyer_events.between(start, end)
    figures = {
        "over_time": demand_over_time(events, dimension, start, end),
        "funnel_group": funnel(events, "group"),
        "funnel_province": funnel(events, "province"),
        "meetings": meetings_by_exhibitor(events),
    }
    if dimension != "country":
        figures["views"] = views_by(dimension, start, end)
    for language in ("vi", "en"):
        for zero in (False, True):
            figure = top_searches(language, start, end, zero=zero)
            figures[figure.key] = figure
    return figures


# A producer's figures, beside the median product of the same sub-groups


def _per_product_month(product_ids, periods, start, end, events):
    """{metric: {product id: [count per month]}} for views, appearances, inquiries and samples."""
    index = bucket_index(periods)
    empty = lambda: [0] * len(periods)  # noqa: E731
    table = {metric: defaultdict(empty) for metric in ("views", "appearances", "inquiry", "sample")}
    ids = list(product_ids)
    for day, page_id, views in PageViewDay.objects.filter(page_id__in=ids, day__gte=start, day__lte=end).values_list(
        "day", "page_id", "views"
    ):
        if index(day) is not None:
            table["views"][page_id][index(day)] += views
    for day, product_id, shown in AppearanceDay.objects.filter(
        product_id__in=ids, day__gte=start, day__lte=end
    ).values_list("day", "product_id", "appearances"):
        if index(day) is not None:
            table["appearances"][product_id][index(day)] += shown
    wanted = set(ids)
    for event in events:
        if event.stage in ("inquiry", "sample") and event.product_id in wanted and index(event.day) is not None:
            table[event.stage][event.product_id][index(event.day)] += 1
    return table


def _median(per_item, items, months, enough=True):
    if not enough:
        return [None] * months
    return [statistics.median(per_item[item][m] if item in per_item else 0 for item in items) for m in range(months)]


def producer_figures(producer_ids, start, end):
    """Each metric per month for these producers' own products, beside the median product (or
    producer) of the same sub-groups; and the countries their buyers come from. Returns
    (figures, comparable): without enough other products, the medians are left out (None)."""
    producer_ids = set(producer_ids)
    periods = buckets(start, end, monthly=True)
    months = [label for label, _first, _last in periods]
    own = dict(ProductPage.objects.filter(producer_id__in=producer_ids).values_list("pk", "category__code"))
    subgroups = {".".join((code or "").split(".")[:2]) for code in own.values() if code}
    peers = []
    for pk, code in ProductPage.objects.live().filter(category__isnull=False).values_list("pk", "category__code"):
        if ".".join(code.split(".")[:2]) in subgroups:
            peers.append(pk)
    # Fewer than MIN_PEERS other producers' products: no median, it would give one of them away.
    comparable = len(set(peers) - set(own)) >= MIN_PEERS
    all_events = buyer_events.between(start, end)
    table = _per_product_month(set(own) | set(peers), periods, start, end, all_events)
    index = bucket_index(periods)

    labels = {
        "views": _("Page views"),
        "appearances": _("Search appearances"),
        "inquiry": _("Inquiries"),
        "sample": _("Sample orders"),
    }
    figures = {}
    for metric, label in labels.items():
        yours = [sum(table[metric][pk][m] for pk in own if pk in table[metric]) for m in range(len(months))]
        per_product = [round(total / len(own), 1) if own else 0 for total in yours]
        figures[metric] = Figure(
            key=metric,
            kind="line",
            title=str(label),
            categories=months,
            series=[
                (str(_("All yours")), yours),
                (str(_("Yours per product")), per_product),
                (
                    str(_("Sub-group median")),
                    _median(table[metric], peers, len(months), comparable),
                ),
            ],
            x_label=str(_("Month")),
            y_label=str(label),
        )

    # Meetings are with an exhibitor, not about one product: compared with the median producer.
    peer_producers = set(ProductPage.objects.filter(pk__in=peers).values_list("producer_id", flat=True))
    meetings = defaultdict(lambda: [0] * len(months))
    for event in all_events:
        if event.stage == "meeting_requested" and event.producer_id in (peer_producers | producer_ids):
            position = index(event.day)
            if position is not None:
                meetings[event.producer_id][position] += 1
    yours = [sum(meetings[p][m] for p in producer_ids if p in meetings) for m in range(len(months))]
    figures["meetings"] = Figure(
        key="meetings",
        kind="line",
        title=str(_("Fair meetings requested")),
        categories=months,
        series=[
            (str(_("You")), yours),
            (
                str(_("Sub-group median")),
                _median(meetings, sorted(peer_producers), len(months), comparable),
            ),
        ],
        x_label=str(_("Month")),
        y_label=str(_("Meetings")),
    )

    origins = Counter(
        e.country
        for e in all_events
        if e.stage in DEMAND_STAGES and (e.producer_id in producer_ids or e.product_id in own)
    )
    ordered = origins.most_common(12)
    figures["countries"] = Figure(
        key="countries",
        kind="bar",
        title=str(_("Where your buyers come from")),
        categories=[label_of("country", code, {}) for code, _count in ordered],
        series=[(str(_("Inquiries, sample orders and meeting requests")), [count for _code, count in ordered])],
        x_label=str(_("Buyer's country")),
        y_label=str(_("Count")),
    )
    return figures, comparable
