"""Wagtail's private sections (page view restrictions), read once per request that only reads.

Wagtail reads every restriction again for each `.public()` queryset and reads the served page's
own (two queries) before serving it: a product page would ask five times for the same rows. Inside a
GET or HEAD request ViewRestrictionsOnceMiddleware keeps them for the rest of that request;
anywhere else (a form that adds a restriction, commands, tasks) they are read each time, so
nothing outlives the request that read them and a new restriction applies from the next one.
"""

from contextvars import ContextVar

from django.db.models import Q

from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from .statements import Statement

# The (path, depth) of each restricted page, once read in this request; None outside one.
_sections = ContextVar("restricted_sections", default=None)
_SECTIONS = Statement(lambda: PageViewRestriction.objects.values_list("page__path", "page__depth"))
READ_ONLY_METHODS = ("GET", "HEAD")


def restricted_sections():
    """(path, depth) of every page with a view restriction: it and its descendants are private."""
    memo = _sections.get()
    if memo is not None and "rows" in memo:
        return memo["rows"]
    rows = _SECTIONS()
    if memo is not None:
        memo["rows"] = rows
    return rows


def public_key(day, *also):
    """The key a statement whose SQL holds the day and `.public()`'s condition is kept under
    (catalogue.statements), with whatever else its SQL depends on (`also`): a function, as the
    private sections it reads may change while the statement compiles."""
    return lambda: (*also, day, tuple(sorted(restricted_sections())))


def is_private(page):
    """Whether `page` lies in a private section: what `.public()` excludes, for a page already loaded."""
    return any(page.path.startswith(path) for path, _depth in restricted_sections())


class ViewRestrictionsOnceMiddleware:
    """Lets a read-only request keep the restrictions it read (restricted_sections)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_ONLY_METHODS:
            return self.get_response(request)
        token = _sections.set({})
        try:
            return self.get_response(request)
        finally:
            _sections.reset(token)


class PublicPageQuerySet(PageQuerySet):
    """Wagtail's page queryset whose `.public()` reads the restrictions once per request."""

    def private_q(self):
        q = None
        for path, depth in restricted_sections():
            section = self.descendant_of_q(Page(path=path, depth=depth), inclusive=True)
            q = section if q is None else q | section
        # As Wagtail's: without a private section, no page is private.
        return q if q is not None else Q(pk__in=[])


class RestrictionsReadOnce:
    """A page that skips Wagtail's two queries for its own restrictions while the site has none.

    Wagtail's serve checks `get_view_restrictions()` before every answer; with no restriction
    anywhere (restricted_sections, read once per request) the answer is known to be none.
    """

    def get_view_restrictions(self):
        if not restricted_sections():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
