"""Every URL pattern, every parameter its view reads, hostile values: never a 5xx.

The URL list comes from Django's resolver (public pages, the API, the admin for the agency
and for a producer), so a new route is walked without being named here; a route whose
arguments this file cannot fill fails the test until `fill_public`/`test_isolation.fill`
learns them.

The parameter names come from the views themselves: a middleware placed first records every
key of `request.GET` and `request.POST` that anything (view, form, template, Wagtail) reads
during a plain visit (a GET, and a POST with an empty form), and the walk then sends those
keys again with each hostile value. Recording rather than a table keeps up with the code (a
form field added tomorrow is read, so it is walked) and covers Wagtail's own views, whose
parameters no template of ours names. A view that reads every key it is sent (the annex
importer's `producer-N`) cannot be recorded this way; tests/marketplace/test_hostile_admin.py
covers it.

Each request runs in a savepoint rolled back afterwards: a POST that deletes or publishes
changes nothing for the next one, and on PostgreSQL one refused statement cannot hide the
next case. See docs/testing.md for the coverage and the time it takes.
"""

import sys
import time
import uuid
from collections import Counter
from urllib.parse import quote

import pytest

from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import transaction
from django.http import QueryDict
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from wagtail.models import Page

from marketplace.collections.demo import ensure_collection_index
from marketplace.collections.models import CollectionItem, ProductCollectionPage
from tests.marketplace.test_isolation import SKIPPED, admin_patterns, fill, zebra  # noqa: F401

pytestmark = pytest.mark.django_db


class Raw(str):
    """A value sent exactly as written, percent-escapes and all (not UTF-8 once decoded)."""


# One value per way a parameter has broken a view: NUL (PostgreSQL refuses it), 5,000
# characters (and as many digits), a number past 64 bits, a digit int() refuses, a
# negative, months and days past the calendar's end or before its start, bytes that are
# not UTF-8, and a key sent several times.
HOSTILE = {
    "NUL": "a\x00b",
    "5,000 digits": "9" * 5000,
    "20 digits": "9" * 20,
    "superscript": "²",
    "negative": "-1",
    "month 9999-12": "9999-12",
    "month 0000-00": "0000-00",
    "day 9999-12-31": "9999-12-31",
    "not UTF-8": Raw("%FF%FE%C3"),
    "list": ["1", "a\x00b", "9" * 20],
}

# Path arguments: what each converter lets through to a view.
PATH_HOSTILE = {
    "int": ["9" * 20, str(2**63), "9" * 5000],
    "slug": ["a" * 5000, "9" * 20],
    "str": [Raw("a%00b"), "a" * 5000, "²", "9" * 20, Raw("%FF%FE")],
    "path": [Raw("a%00b"), "a" * 5000, "²", "9" * 20, Raw("%FF%FE")],
}

# Not a page anyone reads: it logs the client out, or exists to raise.
PUBLIC_SKIPPED = {"wagtailcore_login"}
# A plain visit answered so: the view refused the user (or the method) before reading anything.
REFUSED = {403, 404, 405}


# --- recording what a view reads ---------------------------------------------------------

READS = {"GET": set(), "POST": set()}


class _Recording(QueryDict):
    kind = None

    def _seen(self, key):
        if isinstance(key, str):
            READS[self.kind].add(key)

    def __getitem__(self, key):
        self._seen(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._seen(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._seen(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._seen(key)
        return super().getlist(key, default)


class _RecordingGET(_Recording):
    kind = "GET"


class _RecordingPOST(_Recording):
    kind = "POST"


def _recording(query, cls):
    copy = cls(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        copy.setlist(key, values)
    copy._mutable = False
    return copy


def record_reads(get_response):
    """Test middleware (first in MIDDLEWARE): request.GET and a form's request.POST note each key read."""

    def middleware(request):
        request.GET = _recording(request.GET, _RecordingGET)
        # An empty body comes without a content type (the test client sets none).
        if request.method == "POST" and request.content_type in ("", "application/x-www-form-urlencoded"):
            request.POST = _recording(request.POST, _RecordingPOST)
        return get_response(request)

    return middleware


# --- sending ------------------------------------------------------------------------------


def encode(params):
    """A query string or form body; a Raw value goes as written."""
    parts = []
    for key, value in params.items():
        for one in value if isinstance(value, list) else [value]:
            parts.append(f"{quote(key, safe='')}={one if isinstance(one, Raw) else quote(one, safe='')}")
    return "&".join(parts)


class Walker:
    """Sends requests in rolled-back savepoints and lists every 5xx with the exception behind it."""

    def __init__(self, client, who):
        self.client, self.who = client, who
        self.problems, self.requests, self.last_error = [], 0, None
        client.raise_request_exception = False

    def _caught(self, sender, request=None, **kwargs):
        error = sys.exc_info()[1]
        self.last_error = f"{type(error).__name__}: {str(error)[:160]}"

    def send(self, method, url, params=None, label=""):
        cache.clear()  # the buyer forms' rate limits count every POST
        self.last_error = None
        body = encode(params or {})
        got_request_exception.connect(self._caught)
        try:
            with transaction.atomic():
                if method == "get":
                    response = self.client.get(f"{url}?{body}" if body else url)
                else:
                    response = self.client.post(url, body, content_type="application/x-www-form-urlencoded")
                transaction.set_rollback(True)
        finally:
            got_request_exception.disconnect(self._caught)
        self.requests += 1
        if response.status_code >= 500:
            keys = ",".join(sorted(params or {}))[:120]
            self.problems.append(
                f"{self.who} {method.upper()} {url[:100]} [{keys}] {label}: "
                f"{response.status_code} {self.last_error or ''}"
            )
        return response

    def record(self, method, url):
        """Which GET and POST keys a plain visit reads, or None when the view refused it outright."""
        READS["GET"].clear()
        READS["POST"].clear()
        response = self.send(method, url, label="plain visit")
        if response.status_code in REFUSED:
            return None
        return frozenset(READS["GET"]), frozenset(READS["POST"])

    def walk(self, urls):
        """A plain GET and POST of each URL, then each hostile value in every key each read.

        Keys read on most URLs (by a middleware or the admin's frame rather than the view) are
        sent to the first URL that reads them only: the same code answers them everywhere.
        """
        visits = []
        for url in urls:
            visits += [(url, "get", self.record("get", url)), (url, "post", self.record("post", url))]
        counts = Counter(key for _url, _method, keys in visits if keys for key in keys[0] | keys[1])
        shared = {key for key, count in counts.items() if count > len(visits) / 2}
        sent_shared = set()
        for url, method, keys in visits:
            if keys is None:
                continue
            get_keys, post_keys = keys[0] - sent_shared, keys[1] - sent_shared
            sent_shared |= shared & (keys[0] | keys[1])
            keys = get_keys if method == "get" else post_keys | get_keys
            if not keys or (method == "post" and not post_keys):
                continue
            for label, value in HOSTILE.items():
                self.send(method, url, dict.fromkeys(keys, value), label)


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = [f"{__name__}.record_reads", *settings.MIDDLEWARE]


def report(walkers, started):
    problems = [p for w in walkers for p in w.problems]
    count = sum(w.requests for w in walkers)
    print(f"\n{count} requests in {time.monotonic() - started:.1f} s")
    assert not problems, f"{len(problems)} answers of 5xx:\n" + "\n".join(problems)


# --- the URL list -------------------------------------------------------------------------


def all_patterns():
    """(name, route, named arguments, converters) of every route the resolver knows, namespaces joined."""

    def walk(patterns, prefix, namespace, converters):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
                kinds = {**converters, **getattr(pattern.pattern, "converters", {})}
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, kinds)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                kinds = {**converters, **getattr(pattern.pattern, "converters", {})}
                yield name, prefix + str(pattern.pattern), list(pattern.pattern.regex.groupindex), kinds

    return list(walk(get_resolver().url_patterns, "", None, {}))


def converter_kind(converter):
    return {"IntConverter": "int", "SlugConverter": "slug", "PathConverter": "path", "UUIDConverter": "uuid"}.get(
        type(converter).__name__, "str"
    )


def fill_public(name, zebra):  # noqa: F811
    """Arguments of a public or API route, pointing at the fixture's objects."""
    page, fair, order, inquiry = zebra["page"], zebra["fair"], zebra["order"], zebra["inquiry"]
    values = {
        "inquiries:product": {"page_id": page.pk},
        "inquiries:sent": {"token": inquiry.thread_token or "no-thread"},
        "inquiries:thread": {"token": inquiry.thread_token or "no-thread"},
        "inquiries:erase": {"token": inquiry.thread_token or "no-thread"},
        "orders:order": {"page_id": page.pk},
        "orders:wards": {"province_id": order.province_id or zebra["page"].province_id},
        "orders:detail": {"token": order.access_token},
        "orders:pay_card": {"token": order.access_token},
        "orders:review": {"token": order.access_token},
        "fairs:fair-calendar": {"page_id": fair.pk},
        "fairs:meeting-request": {"exhibitor_id": zebra["exhibitor"].pk},
        "fairs:meeting-sent": {"token": zebra["meeting"].access_token},
        "fairs:meeting-erase": {"token": zebra["meeting"].access_token},
        **{name: {"pk": zebra["lot"].pk} for name in ("lots:lot", "lots:label", "lots:qr", "lots:json", "lots:epcis")},
        "catalogue:producer": {"slug": zebra["producer"].slug},
        "catalogue:certification": {"pk": zebra["record"].pk},
        "catalogue:certification-qr": {"pk": zebra["record"].pk},
        "badges:product": {"product_id": page.pk},
        "badges:product-record": {"product_id": page.pk},
        "badges:product-qr-svg": {"product_id": page.pk},
        "badges:product-qr-png": {"product_id": page.pk},
        "badges:record": {"pk": zebra["record"].pk},
        "api-v1:get_product": {"slug": page.slug},
        "api-v1:get_certification": {"pk": zebra["record"].pk},
        "sitemap-section": {"section": "products"},
        "wagtaildocs_authenticate_with_password": {"restriction_id": 1},
        "wagtailcore_authenticate_with_password": {"page_view_restriction_id": 1, "page_id": page.pk},
    }
    return values[name]


def admin_routes():
    return [(name, keys) for name, _route, keys in admin_patterns() if name not in SKIPPED]


def public_urls(zebra):  # noqa: F811
    """Every public and API route filled in, and one live page of each type through Wagtail's route."""
    urls = []
    for name, route, keys, _kinds in all_patterns():
        if route.lstrip("^").startswith("admin/") or name in PUBLIC_SKIPPED:
            continue
        if name == "wagtail_serve":
            pages = {}
            for live in Page.objects.live().specific():
                pages.setdefault(type(live), live.url)
            urls += [url for url in pages.values() if url]
        elif name == "wagtaildocs_serve":
            urls.append(reverse(name, args=[1, "annex.pdf"]))
        elif keys:
            try:
                urls.append(reverse(name, kwargs=fill_public(name, zebra)))
            except KeyError:
                raise AssertionError(f"no values for {keys} in {route} ({name}): add them to fill_public") from None
        else:
            urls.append(reverse(name))
    return urls


# --- the walks ----------------------------------------------------------------------------


@pytest.fixture
def walked(zebra, recording, roles):  # noqa: F811
    """The fixture's objects, plus a collection page so its type is walked too."""
    index = ensure_collection_index(zebra["index"].get_parent())
    collection = ProductCollectionPage(title="Zebra picks", slug="zebra-picks")
    collection.items = [CollectionItem(product=zebra["page"], sort_order=0)]
    index.add_child(instance=collection)
    collection.save_revision().publish()
    return zebra


def test_no_public_or_api_parameter_gives_a_5xx(client, walked):
    # Over 10 s: every public and API route with every key it reads times ten hostile values.
    started = time.monotonic()
    walker = Walker(client, "anonymous")
    walker.walk(public_urls(walked))
    report([walker], started)


@pytest.mark.parametrize("role", ["agency", "producer"])
def test_no_admin_parameter_gives_a_5xx(client, walked, agency, role):
    # Over 10 s (about a minute each): some 295 admin routes, every key each reads, ten values.
    started = time.monotonic()
    client.force_login(agency if role == "agency" else walked["owner"])
    walker = Walker(client, role)
    walker.walk([reverse(name, kwargs=fill(name, keys, walked)) for name, keys in admin_routes()])
    report([walker], started)


def test_no_path_argument_gives_a_5xx(client, walked, agency):
    """Each converter's argument replaced by the values it lets through, as a visitor and in the admin."""
    # Over 10 s: every route's path arguments, as a visitor and for both admin roles.
    started = time.monotonic()
    marker = str(uuid.uuid4().int)[:18]  # digits, so every converter but uuid takes it
    urls = {"anonymous": [], "agency": [], "producer": []}
    for name, route, keys, kinds in all_patterns():
        if not keys or name in SKIPPED | PUBLIC_SKIPPED or name == "wagtail_serve":
            continue
        admin = route.lstrip("^").startswith("admin/")
        values = fill(name, keys, walked) if admin else fill_public(name, walked)
        for key in keys:
            for hostile in PATH_HOSTILE.get(converter_kind(kinds[key]) if key in kinds else "str", []):
                sent = hostile if isinstance(hostile, Raw) else quote(hostile, safe="")
                try:
                    url = reverse(name, kwargs={**values, key: marker}).replace(marker, sent)
                except NoReverseMatch:
                    break  # a regular expression that takes no digits (csv|xlsx) takes none of these either
                for who in ("agency", "producer") if admin else ("anonymous",):
                    urls[who].append((url, f"{key}={hostile[:20]}"))
    walkers = []
    for who, listed in urls.items():
        client.logout()
        if who != "anonymous":
            client.force_login(agency if who == "agency" else walked["owner"])
        walker = Walker(client, who)
        for url, label in listed:
            walker.send("get", url, label=label)
        walkers.append(walker)
    report(walkers, started)
