"""Test-only URLs: the site's own, plus one admin page showing two charts in Wagtail's frame (never served)."""

from django.template import engines
from django.urls import path

from wagtail.admin.auth import require_admin_access

from config.urls import urlpatterns as site_urlpatterns
from marketplace.shared import charts
from marketplace.shared.admin_pages import AdminPage

PAGE = """{% extends "wagtailadmin/generic/base.html" %}
{% block main_content %}
    {% for chart in charts %}{% include "marketplace/shared/chart.html" with chart=chart %}{% endfor %}
{% endblock %}"""


def demand_charts():
    """A line of three series with gaps and grouped bars with a hostile label, as the demand pages show them."""
    weeks = [f"2026-{month:02d}-{day:02d}" for month in (9, 10, 11) for day in (1, 8, 15, 22)]
    searches = charts.Chart(
        kind="line",
        title="Searches per week",
        categories=weeks,
        series=[
            charts.Series(name="Tiếng Việt", values=[12, 30, None, 45, 50, 48, 60, 75, 70, 90, 1100, 950]),
            charts.Series(name="English", values=[3, 5, 8, 6, 9, 12, None, None, 15, 18, 20, 25]),
            charts.Series(name="Nothing found", values=[1, 2, 2, 3, 1, 0, 2, 4, 3, 2, 1, 2]),
        ],
        x_label="Week",
        y_label="Searches",
    )
    inquiries = charts.Chart(
        kind="bar",
        title="Inquiries by province",
        categories=["Hà Nội", "Thanh Hóa", "<b>Nghệ An</b>", "Quảng Ninh"],
        series=[
            charts.Series(name="2025", values=[10, 20, 30, 5]),
            charts.Series(name="2026", values=[25, None, 10, 8]),
        ],
        x_label="Province",
        y_label="Inquiries",
    )
    return [searches, inquiries]


class ChartsPage(AdminPage):
    page_title = "Demand"

    def get_template_names(self):
        # TemplateResponse takes a template object as well as names: the page needs no file of its own.
        return engines["django"].from_string(PAGE)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "charts": demand_charts()}


urlpatterns = [
    path("admin/test-charts/", require_admin_access(ChartsPage.as_view()), name="test_charts"),
    *site_urlpatterns,
]
