"""What every public page reads of Wagtail's page tree before its own content, read once per
process and version rather than on every request.

Serving any page first finds the Wagtail Site for the host (with its home page), reads the home
page as its own type, then the page below it that the address names (/products/, /fairs/ …) and
that page as its own type; every address written reads the sites' root paths from the cache; the
header finds the index pages; a product page reads the agency's dollar rate from the site
settings. None of it changes unless someone saves, publishes, unpublishes, moves or deletes a
page, or edits a site or a setting. Each such change writes a new version into the shared
cache (`changed`): at once, and again when the change commits, so no process keeps what it read
before the commit. A GET or HEAD reads that version once (`PageTreeMiddleware`) and reuses what
this process read under it; another process sees the new version on its next request.

Pages come back as new instances on every request, built from the values read
(`Model.from_db`), so no request sees another one's attributes. Outside a GET or HEAD, or with
the cache unreachable (no version), nothing is kept and Wagtail reads everything itself. What a
process keeps is also read again after KEEP_SECONDS, whatever the version says: a change that
sent no signal (a queryset `update()`, raw SQL) or was made while the cache was down (its new
version lost) is seen within that time.
"""

import time
import uuid
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

VERSION_KEY = "catalogue:page-tree-version"
KEEP_SECONDS = 300
MAX_KEPT = 256
READ_ONLY_METHODS = ("GET", "HEAD")
# What `kept` answers when nothing may be kept: the caller reads for itself.
NOT_KEPT = object()

# {"version": the version this request read}; None outside a GET or HEAD. No version (not yet
# read, a view that reads none, the cache unreachable): nothing is kept.
_version = ContextVar("page_tree_version", default=None)
# (version, read at, {key: value}): replaced whole, never changed under another version's name.
_kept = (None, 0.0, {})


def current_version():
    """The page tree's version in the shared cache (one is written if there is none), or None."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def kept(key, read):
    """`read()` as this process read it under this request's version (reading it if not yet);
    NOT_KEPT outside a GET or HEAD or while the cache is unreachable."""
    global _kept
    version = (_version.get() or {}).get("version")
    if version is None:
        return NOT_KEPT
    state = _kept
    now = time.monotonic()
    if state[0] != version or now - state[1] > KEEP_SECONDS:
        state = _kept = (version, now, {})
    values = state[2]
    try:
        return values[key]
    except KeyError:
        value = read()
        if len(values) < MAX_KEPT:  # a host name per site, a language per index: a few dozen
            values[key] = value
        return value


def _row(page):
    """(model, field names, values) of a model instance: what `_build` makes a new one from."""
    fields = page._meta.concrete_fields
    return type(page), page._state.db, tuple(f.attname for f in fields), tuple(getattr(page, f.attname) for f in fields)


def _build(row):
    model, db, names, values = row
    # Lists and dicts (a country list, a JSON value) are copied: the instance may change them.
    return model.from_db(db, names, [v.copy() if isinstance(v, (list, dict)) else v for v in values])


def _read_site(request):
    site = Site.find_for_request(request)  # Wagtail's own lookup
    if site is None:
        return None
    # As Wagtail's routing reads it: the home page as its own type.
    return _row(site), _row(site.root_page.localized.specific)


def site_for(request):
    """The Site for this request's host, its home page already its own type; NOT_KEPT as `kept`."""
    # As Wagtail matches a site: the host and port; the language too, which chooses the home
    # page's translation were Wagtail's localisation ever turned on (WAGTAIL_I18N_ENABLED).
    key = ("site", request._get_raw_host(), request.get_port(), get_language())
    rows = kept(key, lambda: _read_site(request))
    if rows is NOT_KEPT or rows is None:
        return rows
    site, home = _build(rows[0]), _build(rows[1])
    Site.root_page.field.set_cached_value(site, home)
    return site


def child(parent, slug):
    """`parent`'s child page at `slug` as its own type (a new instance), the parent cached on it;
    None when nothing is kept or no child has that slug (Wagtail's routing then answers)."""
    rows = kept(("children", parent.pk), lambda: {page.slug: _row(page) for page in parent.get_children().specific()})
    row = None if rows is NOT_KEPT else rows.get(slug)
    if row is None:
        return None
    page = _build(row)
    page._cached_parent_obj = parent  # as Wagtail's routing does
    return page


def without_page_tree(view):
    """Mark a view that reads no page and must answer without the page tree: the health check,
    which probes the cache itself and must not wait on it twice, and the API's schema and docs
    page, which answer without the database. The middleware leaves it alone."""
    view.reads_no_page_tree = True
    return view


class PageTreeMiddleware:
    """Reads the page tree's version once per GET or HEAD, once the view is known, and gives
    Wagtail the Site and the sites' root paths this process read under it (Wagtail keeps both
    on the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_ONLY_METHODS:
            return self.get_response(request)
        token = _version.set({})  # filled by process_view: a view marked without_page_tree reads nothing
        try:
            return self.get_response(request)
        finally:
            _version.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        read = _version.get()
        if read is None or getattr(view_func, "reads_no_page_tree", False):
            return
        read["version"] = current_version()
        site = site_for(request)
        if site is not NOT_KEPT:
            request._wagtail_site = site
            request._wagtail_cached_site_root_paths = kept("root paths", Site.get_site_root_paths)


def _new_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def now_and_at_commit(func):
    """Call `func` now and once more when the current transaction commits: what another process
    read between the two was read before the change. A transaction asking thousands of times
    (an import saving thousands of pages or records) gets one call at its commit, not thousands."""
    func()
    connection = transaction.get_connection()
    if not any(entry[1] is func for entry in connection.run_on_commit):
        transaction.on_commit(func)


def changed(**kwargs):
    """A page, a site or a setting changed: a new version now (this process and its tests read
    again) and another once the change commits."""
    now_and_at_commit(_new_version)


def _saved_or_deleted(sender, created=False, **kwargs):
    # A setting is created by its first read (Wagtail's load()), with the defaults that read
    # saw: only a change to it is news.
    setting_changed = issubclass(sender, (BaseGenericSetting, BaseSiteSetting)) and not created
    if setting_changed or issubclass(sender, (Page, Site)):
        changed()


def connect():
    """Every save or deletion of a page (any type), a site or a setting, every publication,
    unpublication and move writes a new version."""
    post_save.connect(_saved_or_deleted, dispatch_uid="page_tree_saved")
    post_delete.connect(_saved_or_deleted, dispatch_uid="page_tree_deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(changed, dispatch_uid=f"page_tree_{id(signal)}")
