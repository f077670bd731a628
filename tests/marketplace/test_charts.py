"""Server-drawn charts: well-formed SVG a screen reader can name, marks placed in proportion to their values,
gaps where there is no data, hostile labels kept as text, numbers in the reader's language, and a page of
two charts axe finds nothing serious on."""

import re
import xml.etree.ElementTree as ET

import pytest

from django.template.loader import render_to_string
from django.utils import translation

from marketplace.shared import charts
from tests.test_browser_a11y import axe_problems

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script>'
HOSTILE_NAME = '"><img src=x onerror=alert(1)>&amp;'


def parse(chart):
    return ET.fromstring(str(chart.svg()))  # noqa: S314 - our own drawing, not untrusted input


def find_all(root, tag, css_class=None):
    return [
        element
        for element in root.iter(SVG + tag)
        if css_class is None or css_class in (element.get("class") or "").split()
    ]


def centre(point):
    """A marker's path starts at its centre: "M x y…"."""
    x, y = re.match(r"M(-?[\d.]+) (-?[\d.]+)", point.get("d")).groups()
    return float(x), float(y)


def line_chart(values, categories=None, **kwargs):
    categories = categories or [f"2026-09-{day:02d}" for day in range(1, len(values) + 1)]
    return charts.Chart(
        kind="line",
        title="Searches per week",
        categories=categories,
        series=[charts.Series(name="Vietnamese", values=values)],
        **kwargs,
    )


def bar_chart(*series, categories=("Hà Nội", "Thanh Hóa", "Nghệ An"), **kwargs):
    return charts.Chart(
        kind="bar",
        title="Inquiries by province",
        categories=list(categories),
        series=[charts.Series(name=name, values=values) for name, values in series],
        **kwargs,
    )


def test_the_svg_is_xml_an_image_named_by_its_title_and_described_by_its_summary():
    chart = line_chart([3, 5, 8], x_label="Week", y_label="Searches")
    root = parse(chart)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    title = root.find(SVG + "title")
    desc = root.find(SVG + "desc")
    assert title.text == "Searches per week"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert desc.text == chart.summary()
    assert root.get("viewBox").startswith("0 0 ")
    assert "width" not in root.attrib and "height" not in root.attrib  # it takes its container's width
    assert not find_all(root, "script") and not find_all(root, "style")


def test_bars_stand_on_one_baseline_in_proportion_to_their_values():
    root = parse(bar_chart(("2026", [10, 20, 40])))
    bars = find_all(root, "rect", "ocop-chart__bar")
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[2] == pytest.approx(4 * heights[0], abs=0.2)
    bottoms = {round(float(bar.get("y")) + float(bar.get("height")), 1) for bar in bars}
    assert len(bottoms) == 1
    lefts = [float(bar.get("x")) for bar in bars]
    assert lefts == sorted(lefts)


def test_grouped_bars_sit_side_by_side_within_their_category():
    root = parse(bar_chart(("2025", [1, 2, 3]), ("2026", [3, 2, 1])))
    first, second = (find_all(group, "rect", "ocop-chart__bar") for group in find_all(root, "g", "ocop-chart__series"))
    for a, b in zip(first, second, strict=True):
        assert float(b.get("x")) == pytest.approx(float(a.get("x")) + float(a.get("width")), abs=0.2)
    assert float(first[0].get("height")) == pytest.approx(float(second[2].get("height")), abs=0.1)
    # The second series is hatched, not told apart by colour alone; the legend shows both.
    assert second[0].get("fill").startswith("url(#")
    legend = find_all(root, "g", "ocop-chart__legend")[0]
    assert [text.text for text in find_all(legend, "text")] == ["2025", "2026"]


def test_line_points_are_evenly_spaced_and_as_high_as_their_values():
    root = parse(line_chart([0, 25, 50, 100]))
    points = [centre(point) for point in find_all(root, "path", "ocop-chart__point")]
    xs, ys = zip(*points, strict=True)
    steps = {round(b - a, 1) for a, b in zip(xs, xs[1:], strict=False)}
    assert len(steps) == 1
    zero = ys[0]
    rises = [zero - y for y in ys]
    assert rises[2] == pytest.approx(2 * rises[1], abs=0.2)
    assert rises[3] == pytest.approx(4 * rises[1], abs=0.2)


def test_a_missing_value_leaves_a_gap_not_a_zero():
    chart = line_chart([4, 6, None, 8, 9])
    root = parse(chart)
    line = find_all(root, "path", "ocop-chart__line")[0]
    assert line.get("d").count("M") == 2  # two stretches: before and after the gap
    assert len(find_all(root, "path", "ocop-chart__point")) == 4
    assert chart.rows()[2] == ["2026-09-03", charts.NO_VALUE]

    bars = bar_chart(("2026", [5, None, 0]))
    assert len(find_all(parse(bars), "rect", "ocop-chart__bar")) == 2
    assert [row[1] for row in bars.rows()] == ["5", charts.NO_VALUE, "0"]


def test_a_lone_point_between_gaps_is_still_drawn():
    chart = line_chart([None, 7, None] * 20)  # many points: markers only where a line cannot show the value
    points = find_all(parse(chart), "path", "ocop-chart__point")
    assert len(points) == 20


def test_hostile_labels_are_text_in_the_svg_and_in_the_page():
    chart = charts.Chart(
        kind="bar",
        title=HOSTILE,
        categories=[HOSTILE, "ok"],
        series=[charts.Series(name=HOSTILE_NAME, values=[1, 2]), charts.Series(name="b", values=[2, 1])],
        x_label=HOSTILE,
        y_label=HOSTILE_NAME,
        unit=HOSTILE,
    )
    root = parse(chart)  # still well-formed XML
    assert not find_all(root, "script") and not find_all(root, "img")
    assert root.find(SVG + "title").text == HOSTILE
    texts = [text.text for text in find_all(root, "text")]
    assert HOSTILE_NAME in texts
    page = render_to_string("marketplace/shared/chart.html", {"chart": chart})
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page


def test_empty_data_says_so_and_has_no_table():
    for chart in (
        line_chart([None, None, None]),
        charts.Chart(kind="bar", title="Nothing", categories=[], series=[]),
        charts.Chart(kind="line", title="Nothing", categories=["a", "b"], series=[]),
    ):
        root = parse(chart)
        assert root.get("role") == "img"
        assert "No data for this period" in [text.text for text in find_all(root, "text")]
        assert not find_all(root, "rect", "ocop-chart__bar") and not find_all(root, "path", "ocop-chart__point")
        assert chart.rows() == []
        assert chart.summary() == "No data for this period."
        page = render_to_string("marketplace/shared/chart.html", {"chart": chart})
        assert "<table" not in page and "<figure" in page


def test_many_categories_show_at_most_twelve_labels_starting_with_the_first():
    categories = [f"Day {day}" for day in range(1, 91)]
    root = parse(line_chart(list(range(90)), categories=categories))
    labels = [text.text for text in find_all(root, "text", "ocop-chart__x-label")]
    assert 6 <= len(labels) <= 12
    assert labels[0] == "Day 1"
    assert set(labels) <= set(categories)


def test_long_labels_are_shortened_in_the_drawing_and_whole_in_the_table():
    name = "Nước mắm cá cơm truyền thống Cửa Khe loại đặc biệt"
    chart = bar_chart(("2026", [1]), categories=[name])
    labels = [text.text for text in find_all(parse(chart), "text", "ocop-chart__x-label")]
    assert labels[0].endswith("…") and len(labels[0]) <= charts.LABEL_CHARS
    assert chart.rows()[0][0] == name


def test_y_axis_ticks_are_round_and_cover_the_values():
    assert charts.nice_ticks(0, 97, whole=True) == [0, 20, 40, 60, 80, 100]
    assert charts.nice_ticks(0, 3, whole=True) == [0, 1, 2, 3]
    assert charts.nice_ticks(0, 0.9) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert charts.nice_ticks(-12, 30, whole=True) == [-20, -10, 0, 10, 20, 30]
    assert charts.nice_ticks(0, 0, whole=True) == [0, 1]
    assert charts.nice_ticks(0, 1_234_567, whole=True)[-1] >= 1_234_567


@pytest.mark.parametrize(
    ("language", "thousands", "decimal", "words"),
    [("en", "12,345", "2.5", "lowest"), ("vi", "12.345", "2,5", "thấp nhất")],
)
def test_numbers_and_sentences_follow_the_active_language(language, thousands, decimal, words):
    chart = charts.Chart(
        kind="bar",
        title="Value",
        categories=["2026-09", "2026-10"],
        series=[charts.Series(name="VND", values=[12345, 2.5])],
        unit=" ₫",
    )
    with translation.override(language):
        assert chart.rows() == [["2026-09", f"{thousands} ₫"], ["2026-10", f"{decimal} ₫"]]
        summary = chart.summary()
        assert f"{thousands} ₫" in summary and words in summary
        root = parse(chart)
        assert root.find(SVG + "desc").text == summary
        ticks = [text.text for text in find_all(root, "text")]
        assert f"{thousands.replace('2,345', '0,000').replace('2.345', '0.000')} ₫" in ticks  # 10,000 on the y axis
        page = render_to_string("marketplace/shared/chart.html", {"chart": chart})
        assert (">Hiện số liệu<" if language == "vi" else ">Show the figures<") in page


def test_the_figure_holds_the_drawing_a_caption_and_the_table_behind_it():
    chart = bar_chart(("2025", [1, 2, 3]), ("2026", [3, 2, None]), x_label="Province", y_label="Inquiries")
    page = render_to_string("marketplace/shared/chart.html", {"chart": chart})
    assert re.search(r"<figure[^>]*>\s*<svg", page)
    assert re.search(r"<figcaption[^>]*>\s*<strong>Inquiries by province</strong>", page)
    assert "<details>" in page and "<caption>Inquiries by province (Inquiries)</caption>" in page
    assert page.count('<th scope="col">') == 3 and page.count('<th scope="row">') == 3
    assert '<th scope="col">Province</th>' in page


def test_two_charts_on_a_page_have_no_id_in_common():
    page = "".join(
        render_to_string("marketplace/shared/chart.html", {"chart": chart})
        for chart in (bar_chart(("a", [1, 2, 3]), ("b", [1, 2, 3])), bar_chart(("a", [1, 2, 3]), ("b", [3, 2, 1])))
    )
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)) > 4


def contrast_on_white(colour):
    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return 1.05 / (luminance + 0.05)


def test_series_colours_pass_contrast_on_white_and_differ_in_more_than_colour():
    assert all(contrast_on_white(colour) >= 4.5 for colour in charts.COLOURS)
    assert len(set(charts.COLOURS)) == len(charts.COLOURS)
    assert len(set(charts.DASHES)) == len(charts.DASHES) >= len(charts.COLOURS)
    assert len(set(charts.MARKERS)) == len(charts.MARKERS) >= len(charts.COLOURS)
    assert len(set(charts.HATCHES)) == len(charts.HATCHES) >= len(charts.COLOURS)
    assert contrast_on_white(charts.TEXT) >= 4.5 and contrast_on_white(charts.AXIS) >= 4.5


def test_a_chart_is_a_line_or_a_bar_chart_with_a_value_per_category():
    with pytest.raises(ValueError):
        charts.Chart(kind="pie", title="x", categories=["a"], series=[])
    with pytest.raises(ValueError):
        charts.Chart(kind="line", title="x", categories=["a", "b"], series=[charts.Series("s", [1])])


def chart_page(language):
    """A small page of two charts (a line and grouped bars), as the admin pages that use them show them."""
    with translation.override(language):
        weeks = [f"2026-{month:02d}-{day:02d}" for month in (9, 10, 11) for day in (1, 8, 15, 22)]
        line = charts.Chart(
            kind="line",
            title="Searches per week",
            categories=weeks,
            series=[
                charts.Series(name="Tiếng Việt", values=[12, 30, None, 45, 50, 48, 60, 75, 70, 90, 110, 95]),
                charts.Series(name="English", values=[3, 5, 8, 6, 9, 12, None, None, 15, 18, 20, 25]),
            ],
            x_label="Week",
            y_label="Searches",
        )
        bars = bar_chart(("2025", [10, 20, 30]), ("2026", [25, None, 10]), y_label="Inquiries")
        figures = "".join(render_to_string("marketplace/shared/chart.html", {"chart": c}) for c in (line, bars))
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>Demand</title></head>'
        f"<body><main><h1>Demand</h1>{figures}</main></body></html>"
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_page_of_two_charts_has_no_serious_accessibility_problem(page, language):
    page.set_content(chart_page(language))
    assert not axe_problems(page), axe_problems(page)
    # The figures open without JavaScript: <details> is the browser's own.
    page.click("figure:nth-of-type(2) summary")
    assert page.is_visible("figure:nth-of-type(2) table")
    assert not axe_problems(page)
