"""What demand recording stores: nothing that names or follows a person.

A search is kept raw for 30 days (its folded words, language, filters, number of results and
the products on the page shown), then only as daily figures. Page views are daily counters
from the start. No column holds an address, a cookie, a session, a user or a user agent.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Raw searches are folded into daily figures and deleted after this many days.
RAW_DAYS = 30


class SearchEvent(models.Model):
    """One search as a buyer ran it, without who ran it; deleted after RAW_DAYS."""

    created_at = models.DateTimeField(_("searched at"), default=timezone.now, db_index=True)
    language = models.CharField(_("language"), max_length=8)
    query = models.CharField(_("query (folded)"), max_length=200, blank=True)
    filters = models.CharField(_("filters"), max_length=200, blank=True)
    results = models.PositiveIntegerField(_("results"))
    # The products shown on the results page: each one's "search appearances".
    product_ids = models.JSONField(_("products shown"), default=list, blank=True)
    folded = models.BooleanField(_("folded into daily figures"), default=False, db_index=True)

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")

    def __str__(self):
        return f"{self.language}: {self.query} ({self.results})"


class SearchDay(models.Model):
    """How often one search (words, language, filters) was run on one day, and how often it found nothing."""

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=8)
    query = models.CharField(_("query (folded)"), max_length=200, blank=True)
    filters = models.CharField(_("filters"), max_length=200, blank=True)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches that found nothing"), default=0)

    class Meta:
        verbose_name = _("searches of a day")
        verbose_name_plural = _("searches per day")
        constraints = [
            models.UniqueConstraint(fields=["day", "language", "query", "filters"], name="demand_search_day_once")
        ]

    def __str__(self):
        return f"{self.day} {self.language}: {self.query} ×{self.searches}"


class PageViewDay(models.Model):
    """Views of one product or fair page in one language on one day (counted by the beacon)."""

    day = models.DateField(_("day"))
    page_id = models.BigIntegerField(_("page"))
    language = models.CharField(_("language"), max_length=8)
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("page views of a day")
        verbose_name_plural = _("page views per day")
        constraints = [models.UniqueConstraint(fields=["day", "page_id", "language"], name="demand_page_view_once")]

    def __str__(self):
        return f"{self.day} {self.language}: page {self.page_id} ×{self.views}"


class AppearanceDay(models.Model):
    """How often one product was on a search results page in one language on one day."""

    day = models.DateField(_("day"))
    product_id = models.BigIntegerField(_("product"))
    language = models.CharField(_("language"), max_length=8)
    appearances = models.PositiveIntegerField(_("search appearances"), default=0)

    class Meta:
        verbose_name = _("search appearances of a day")
        verbose_name_plural = _("search appearances per day")
        constraints = [models.UniqueConstraint(fields=["day", "product_id", "language"], name="demand_appearance_once")]

    def __str__(self):
        return f"{self.day} {self.language}: product {self.product_id} ×{self.appearances}"
