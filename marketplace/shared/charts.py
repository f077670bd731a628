"""Line and bar charts drawn on the server as inline SVG, each with a sentence and a table a screen reader can use.

No script and no stylesheet: the SVG carries presentation attributes only, so it renders without JavaScript
and the Content-Security-Policy stays as it is. Every label is escaped (categories and series names come
from data: product names, countries, search queries); every number is formatted for the active language.
Render a chart in a page with `{% include "marketplace/shared/chart.html" with chart=chart %}`.
"""

import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

# The drawing's own units; the SVG scales to its container through its viewBox.
WIDTH = 640
PLOT_HEIGHT = 220
FONT_SIZE = 12
# Average advance of a 12-unit sans-serif character: enough to keep labels from overlapping.
CHAR_WIDTH = 6.8
MAX_X_LABELS = 12
MARKER_SPACING = 14
LABEL_CHARS = 20
TEXT = "#262626"
GRID = "#d9d9d9"
AXIS = "#595959"
# Each at least 4.5:1 on white (WCAG asks 3:1 of graphics), told apart by hue first (blue, orange) and,
# for colour-blind readers, by each series' dash and marker shape (lines) or hatching (bars) too.
COLOURS = ("#0a5a9c", "#b34700", "#1b7a45", "#9e2a6b", "#5b4bb7", "#7a5c00", "#b3261e", "#4d4d4d")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "5 2", "1 5", "14 5", "6 2 2 2")
MARKERS = ("circle", "square", "triangle", "diamond", "triangle-down", "plus", "bowtie", "hourglass")
# Hatching drawn in white over a bar's colour: (angle, gap between stripes); None is a solid bar.
HATCHES = (None, (45, 6), (0, 5), (-45, 6), (90, 5), (45, 3), (-45, 3), (0, 3))

_numbers = itertools.count(1)


def _next_id():
    return f"chart-{next(_numbers)}"


@dataclass
class Series:
    """One named line, or one bar per category: a value per category, None where there is no data."""

    name: str
    values: list


@dataclass
class Chart:
    """A line or bar chart of series over categories (bar: grouped bars when there are several series)."""

    kind: str
    title: str
    categories: list
    series: list
    x_label: str = ""
    y_label: str = ""
    unit: str = ""
    # Ids of the SVG's title and description and of the figure's parts: unique on a page of several charts.
    element_id: str = field(default_factory=_next_id)

    def __post_init__(self):
        if self.kind not in {"line", "bar"}:
            raise ValueError(f"A chart is a line or a bar chart, not {self.kind!r}")
        self.categories = [str(category) for category in self.categories]
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"Series {series.name!r} has {len(series.values)} values for {len(self)} categories")

    def __len__(self):
        return len(self.categories)

    @property
    def is_empty(self):
        return not any(value is not None for series in self.series for value in series.values)

    def format(self, value):
        """The value as a reader sees it in the active language, with the chart's unit."""
        return format_number(value) + self.unit

    # --- What a screen reader hears and the table behind the chart -------------------------------

    def summary(self):
        """One or two sentences beside the title: the period, then each series' lowest, highest and latest value."""
        if self.is_empty:
            return gettext("No data for this period") + "."
        if len(self) > 1:
            opening = gettext("From %(first)s to %(last)s.") % {
                "first": self.categories[0],
                "last": self.categories[-1],
            }
        else:
            opening = f"{self.categories[0]}."
        parts = [self._series_summary(series) for series in self.series]
        return f"{opening} {'; '.join(parts)}."

    def _series_summary(self, series):
        known = [(index, value) for index, value in enumerate(series.values) if value is not None]
        if not known:
            return gettext("%(series)s: no data") % {"series": series.name}
        low = min(value for _, value in known)
        peak_at, high = max(known, key=lambda pair: pair[1])  # the first category where it peaks
        latest_at, latest = known[-1]
        return gettext(
            "%(series)s: lowest %(low)s, highest %(high)s (%(peak_at)s), latest %(latest)s (%(latest_at)s)"
        ) % {
            "series": series.name,
            "low": self.format(low),
            "high": self.format(high),
            "peak_at": self.categories[peak_at],
            "latest": self.format(latest),
            "latest_at": self.categories[latest_at],
        }

    def headers(self):
        """The table's column headings: the categories' heading, then each series' name."""
        return [self.x_label or gettext("Period"), *(series.name for series in self.series)]

    def rows(self):
        """[category, value per series …], values formatted with the unit; "–" where there is no data."""
        if self.is_empty:
            return []
        return [
            [category, *(NO_VALUE if s.values[i] is None else self.format(s.values[i]) for s in self.series)]
            for i, category in enumerate(self.categories)
        ]

    # --- The drawing ---------------------------------------------------------------------------

    def svg(self):
        """An inline <svg role="img"> labelled by its <title> and described by its <desc> (the summary)."""
        return _Drawing(self).render()


NO_VALUE = "–"


def format_number(value):
    """A number in the active language (Vietnamese: 1.234,5), whole numbers without decimals."""
    if value is None:
        return NO_VALUE
    decimals = 2  # a share below one, 0,25
    if isinstance(value, int) or float(value).is_integer():
        decimals = 0
    elif abs(value) >= 1:
        decimals = 1
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def nice_ticks(low, high, whole=False, count=5):
    """Round tick values from at most `low` to at least `high`, about `count` steps (1, 2, 2.5 or 5 × 10ⁿ)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    rough = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(rough))
    steps = (1, 2, 5, 10) if whole and magnitude <= 1 else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= rough)
    if whole:
        step = max(step, 1)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(n * step, 10) for n in range(first, last + 1)]


def _num(value):
    """A coordinate for the SVG: always a dot, whatever the language."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(label):
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _marker(shape, x, y, size=4.5):
    """A closed path centred on (x, y); its d starts with that centre, then moves relative to it."""
    s, h, t = size, size * 1.15, size * 2 / 3
    steps = {
        "circle": [("m", -s, 0), ("a", s, s, 0, 1, 0, 2 * s, 0), ("a", s, s, 0, 1, 0, -2 * s, 0)],
        "square": [("m", -s, -s), ("h", 2 * s), ("v", 2 * s), ("h", -2 * s)],
        "triangle": [("m", 0, -h), ("l", h, 1.74 * h), ("h", -2 * h)],
        "diamond": [("m", 0, -h), ("l", h, h), ("l", -h, h), ("l", -h, -h)],
        "triangle-down": [("m", 0, h), ("l", h, -1.74 * h), ("h", -2 * h)],
        "plus": [("m", -s, -t / 2), ("h", t), ("v", -t), ("h", t), ("v", t), ("h", t), ("v", t), ("h", -t)]
        + [("v", t), ("h", -t), ("v", -t), ("h", -t)],
        "bowtie": [("m", -s, -s), ("l", 2 * s, 2 * s), ("v", -2 * s), ("l", -2 * s, 2 * s)],
        "hourglass": [("m", -s, -s), ("h", 2 * s), ("l", -2 * s, 2 * s), ("h", 2 * s)],
    }[shape]
    outline = "".join(command + " ".join(_num(n) for n in numbers) for command, *numbers in steps)
    return f"M{_num(x)} {_num(y)}{outline}z"


class _Drawing:
    """Lays out one chart: margins from its labels, the scales, then axes, series and legend as SVG."""

    def __init__(self, chart):
        self.chart = chart
        self.id = chart.element_id
        self.count = len(chart)

    def render(self):
        chart = self.chart
        title, desc = escape(chart.title), escape(chart.summary())
        if chart.is_empty:
            height = 120
            empty = escape(gettext("No data for this period"))
            body = [
                f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
                f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" dominant-baseline="middle" '
                f'font-size="{FONT_SIZE + 2}" fill="{TEXT}">{empty}</text>',
            ]
        else:
            self.layout()
            height = self.height
            body = [
                f'<rect width="{WIDTH}" height="{_num(height)}" fill="#fff"/>',
                *self.patterns(),
                *self.y_axis(),
                *self.x_axis(),
                *(self.bars() if chart.kind == "bar" else self.lines()),
                *self.legend(),
            ]
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="ocop-chart__svg" viewBox="0 0 {WIDTH} {_num(height)}" '
            f'role="img" aria-labelledby="{self.id}-title" aria-describedby="{self.id}-desc" '
            f'font-family="inherit" font-size="{FONT_SIZE}">'
            f'<title id="{self.id}-title">{title}</title><desc id="{self.id}-desc">{desc}</desc>'
            + "".join(body)
            + "</svg>"
        )
        return mark_safe(svg)  # noqa: S308 - every label and number escaped above; coordinates are ours

    # --- Layout --------------------------------------------------------------------------------

    def layout(self):
        chart = self.chart
        known = [float(v) for s in chart.series for v in s.values if v is not None]
        whole = all(isinstance(v, int) or (isinstance(v, Decimal | float) and float(v).is_integer()) for v in known)
        self.ticks = nice_ticks(min(known), max(known), whole=whole)
        tick_chars = max(len(self.tick_label(t)) for t in self.ticks)
        self.legend_rows = self.legend_layout()
        self.top = 12 + (len(self.legend_rows) * 20 + 6 if self.legend_rows else 0)
        self.left = 10 + (FONT_SIZE + 8 if chart.y_label else 0) + tick_chars * CHAR_WIDTH + 8
        right = 16
        # At most MAX_X_LABELS labels, every `label_step`-th category; tilted when they would overlap.
        self.label_step = math.ceil(self.count / MAX_X_LABELS)
        shown = [_short(c) for c in chart.categories[:: self.label_step]]
        label_width = max(len(label) for label in shown) * CHAR_WIDTH
        band = (WIDTH - self.left - right) / self.count
        self.tilted = label_width > band * self.label_step - 6
        if self.tilted:
            # A tilted label hangs down and to the left of its tick: leave room for the first one.
            self.left = max(self.left, len(shown[0]) * CHAR_WIDTH * 0.71 - band / 2 + 6)
            labels_height = label_width * 0.71 + FONT_SIZE
        else:
            labels_height = FONT_SIZE + 6
        self.plot_width = WIDTH - self.left - right
        self.band = self.plot_width / self.count
        self.bottom = 8 + labels_height + (FONT_SIZE + 10 if chart.x_label else 0)
        self.height = self.top + PLOT_HEIGHT + self.bottom

    def tick_label(self, value):
        return self.chart.format(int(value) if float(value).is_integer() else value)

    def x(self, index):
        """The centre of a category's band."""
        return self.left + (index + 0.5) * self.band

    def y(self, value):
        low, high = self.ticks[0], self.ticks[-1]
        return self.top + PLOT_HEIGHT * (high - float(value)) / (high - low)

    # --- Axes ----------------------------------------------------------------------------------

    def y_axis(self):
        parts = []
        for tick in self.ticks:
            y = _num(self.y(tick))
            colour = AXIS if tick == 0 else GRID
            parts.append(
                f'<line x1="{_num(self.left)}" x2="{_num(self.left + self.plot_width)}" y1="{y}" y2="{y}" '
                f'stroke="{colour}" stroke-width="1"/>'
                f'<text x="{_num(self.left - 6)}" y="{y}" text-anchor="end" dominant-baseline="middle" '
                f'fill="{TEXT}">{escape(self.tick_label(tick))}</text>'
            )
        if self.chart.y_label:
            x, y = 10 + FONT_SIZE, self.top + PLOT_HEIGHT / 2
            parts.append(
                f'<text x="{x}" y="{_num(y)}" transform="rotate(-90 {x} {_num(y)})" text-anchor="middle" '
                f'fill="{TEXT}">{escape(self.chart.y_label)}</text>'
            )
        return parts

    def x_axis(self):
        baseline = self.top + PLOT_HEIGHT
        parts = [
            f'<line x1="{_num(self.left)}" x2="{_num(self.left)}" y1="{_num(self.top)}" y2="{_num(baseline)}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
        ]
        for index in range(0, self.count, self.label_step):
            x, label = _num(self.x(index)), escape(_short(self.chart.categories[index]))
            parts.append(f'<line x1="{x}" x2="{x}" y1="{_num(baseline)}" y2="{_num(baseline + 4)}" stroke="{AXIS}"/>')
            y = _num(baseline + 8 + FONT_SIZE * (0.3 if self.tilted else 1))
            if self.tilted:
                parts.append(
                    f'<text class="ocop-chart__x-label" x="{x}" y="{y}" text-anchor="end" '
                    f'transform="rotate(-45 {x} {y})" fill="{TEXT}">{label}</text>'
                )
            else:
                parts.append(
                    f'<text class="ocop-chart__x-label" x="{x}" y="{y}" text-anchor="middle" '
                    f'fill="{TEXT}">{label}</text>'
                )
        if self.chart.x_label:
            x, y = self.left + self.plot_width / 2, self.height - 8
            parts.append(
                f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="middle" fill="{TEXT}">'
                f"{escape(self.chart.x_label)}</text>"
            )
        return parts

    # --- Series --------------------------------------------------------------------------------

    def tooltip(self, series, index):
        """What a pointer hovering over a mark shows (screen readers have the summary and the table)."""
        return escape(f"{series.name}, {self.chart.categories[index]}: {self.chart.format(series.values[index])}")

    def lines(self):
        parts = []
        for number, series in enumerate(self.chart.series):
            colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
            shape = MARKERS[number % len(MARKERS)]
            points = [(i, self.x(i), self.y(v)) for i, v in enumerate(series.values) if v is not None]
            # A missing value breaks the line: each run of known neighbours is one stretch.
            stretches, previous = [], None
            for index, x, y in points:
                command = "L" if previous is not None and index == previous + 1 else "M"
                stretches.append(f"{command}{_num(x)} {_num(y)}")
                previous = index
            dasharray = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<g class="ocop-chart__series" data-series="{number}">'
                f'<path class="ocop-chart__line" d="{"".join(stretches)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5" stroke-linejoin="round"{dasharray}/>'
            )
            # Markers on every point while they stand apart; when they would crowd, only on a lone point.
            known = {index for index, _, _ in points}
            parts += [
                f'<path class="ocop-chart__point" d="{_marker(shape, x, y)}" fill="{colour}" stroke="#fff" '
                f'stroke-width="1"><title>{self.tooltip(series, index)}</title></path>'
                for index, x, y in points
                if self.band >= MARKER_SPACING or not {index - 1, index + 1} & known
            ]
            parts.append("</g>")
        return parts

    def patterns(self):
        if self.chart.kind != "bar":
            return []
        parts = []
        for number, _ in enumerate(self.chart.series):
            hatch = HATCHES[number % len(HATCHES)]
            if hatch is None:
                continue
            angle, gap = hatch
            parts.append(
                f'<pattern id="{self.id}-fill-{number}" width="{gap}" height="{gap}" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate({angle})"><rect width="{gap}" height="{gap}" '
                f'fill="{COLOURS[number % len(COLOURS)]}"/>'
                f'<line x1="0" y1="0" x2="{gap}" y2="0" stroke="#fff" stroke-width="1.5"/></pattern>'
            )
        return [f"<defs>{''.join(parts)}</defs>"] if parts else []

    def bar_fill(self, number):
        if HATCHES[number % len(HATCHES)] is None:
            return COLOURS[number % len(COLOURS)]
        return f"url(#{self.id}-fill-{number})"

    def bars(self):
        parts = []
        group = self.band * 0.8
        width = group / len(self.chart.series)
        zero = self.y(0)
        for number, series in enumerate(self.chart.series):
            parts.append(f'<g class="ocop-chart__series" data-series="{number}">')
            for index, value in enumerate(series.values):
                if value is None:
                    continue
                x = self.x(index) - group / 2 + number * width
                y = self.y(value)
                top, height = min(y, zero), abs(zero - y)
                parts.append(
                    f'<rect class="ocop-chart__bar" x="{_num(x)}" y="{_num(top)}" width="{_num(width)}" '
                    f'height="{_num(height)}" fill="{self.bar_fill(number)}" '
                    f'stroke="{COLOURS[number % len(COLOURS)]}" stroke-width="1">'
                    f"<title>{self.tooltip(series, index)}</title></rect>"
                )
            parts.append("</g>")
        return parts

    # --- Legend --------------------------------------------------------------------------------

    def legend_layout(self):
        """Rows of (series number, x) left to right, wrapping at the drawing's width; none for one series."""
        if len(self.chart.series) < 2:
            return []
        rows, row, x = [], [], 12.0
        for number, series in enumerate(self.chart.series):
            width = 34 + len(_short(series.name)) * CHAR_WIDTH + 16
            if row and x + width > WIDTH - 12:
                rows.append(row)
                row, x = [], 12.0
            row.append((number, x))
            x += width
        rows.append(row)
        return rows

    def legend(self):
        parts = ['<g class="ocop-chart__legend">']
        for line, row in enumerate(self.legend_rows):
            y = 12 + line * 20 + 6
            for number, x in row:
                colour = COLOURS[number % len(COLOURS)]
                if self.chart.kind == "bar":
                    parts.append(
                        f'<rect x="{_num(x)}" y="{y - 6}" width="24" height="12" fill="{self.bar_fill(number)}" '
                        f'stroke="{colour}" stroke-width="1"/>'
                    )
                else:
                    dash = DASHES[number % len(DASHES)]
                    dasharray = f' stroke-dasharray="{dash}"' if dash else ""
                    parts.append(
                        f'<line x1="{_num(x)}" x2="{_num(x + 28)}" y1="{y}" y2="{y}" stroke="{colour}" '
                        f'stroke-width="2.5"{dasharray}/>'
                        f'<path d="{_marker(MARKERS[number % len(MARKERS)], x + 14, y)}" fill="{colour}" '
                        f'stroke="#fff" stroke-width="1"/>'
                    )
                parts.append(
                    f'<text x="{_num(x + 34)}" y="{y}" dominant-baseline="middle" fill="{TEXT}">'
                    f"{escape(_short(self.chart.series[number].name))}</text>"
                )
        parts.append("</g>")
        return parts
