"""Purge the shared proxy cache of every address that shows a change, once the change commits.

The backends are Wagtail's frontend cache ones (settings.WAGTAILFRONTENDCACHE: an HTTP PURGE
to Varnish or nginx, Cloudflare, CloudFront …), called here on commit rather than through
Wagtail's background task, so a revoked product answers 410 through the proxy at once, not
when a worker gets round to it. Without the setting nothing is collected and nothing is sent.

Every page is purged at its three addresses: /vi/…, /en/… and the unprefixed one that
redirects. What a change touches is collected during the transaction (products, producers,
records by id) and resolved at commit in a few queries, however many rows a bulk import
saved. What shows a product:

- its own page, the pages of its producer's other products ("More from …") and its producer's page;
- every record of the product (a record page says whether its product is listed and which
  decision superseded which);
- the home page, /products/ and the sitemap;
- the pages above the catalogue that registered with `shows_products` (fairs, collections).

Records expire and come into force at midnight without anyone acting: catalogue.caching keeps
no page past midnight, so no purge is needed for those.
"""

import copy
import logging
import threading
from urllib.parse import urlsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.urls import reverse

from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .languages import without_language
from .models import Certification, Producer, ProductIndexPage, ProductPage
from .public_url import public_url

logger = logging.getLogger(__name__)

# The sitemap files that list catalogue things (config/sitemaps.py; the marketplace purges its own).
SITEMAP_SECTIONS = ("products", "producers", "records", "pages")

_shows_products = []


def shows_products(function):
    """Register `function(product_ids, producer_ids)`: the addresses of pages outside the catalogue
    that show any of these products or producers (a fair's exhibitors, a collection)."""
    _shows_products.append(function)
    return function


class _Pending(threading.local):
    def __init__(self):
        self.clear()

    def clear(self):
        self.paths, self.products, self.producers, self.renamed = set(), set(), set(), set()


_pending = _Pending()


def enabled():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def addresses(path):
    """The three addresses of what `path` shows: one per language, and the unprefixed one."""
    neutral = without_language(path)
    return {f"/{code}{neutral}" for code, _name in settings.LANGUAGES} | {neutral}


def page_addresses(page, url_path=None):
    """The addresses of a page (at `url_path`, an address it had before a move, if given)."""
    if url_path is not None:
        page = copy.copy(page)
        page.url_path = url_path
    parts = page.get_url_parts()
    return addresses(parts[2]) if parts else set()


def purge(paths=(), products=(), producers=(), renamed=()):
    """Purge, when the current transaction commits, these addresses and what shows these
    products and producers (`renamed`: producers whose name their records show)."""
    if not enabled():
        return
    _pending.paths.update(paths)
    _pending.products.update(pk for pk in products if pk)
    _pending.producers.update(pk for pk in producers if pk)
    _pending.renamed.update(pk for pk in renamed if pk)
    # One callback per change; the first to run sends everything collected, the others find nothing.
    transaction.on_commit(send, robust=True)


def resolve(products=(), producers=(), renamed=()):
    """Every address that shows these products or producers (a handful of queries for any number)."""
    products, producers, renamed = set(products), set(producers) | set(renamed), set(renamed)
    if not (products or producers):
        return set()
    producers |= set(ProductPage.objects.filter(pk__in=products).values_list("producer_id", flat=True))
    paths = set()
    pages = ProductPage.objects.filter(Q(pk__in=products) | Q(producer_id__in=producers))
    for page in pages.only("pk", "url_path", "path", "depth"):
        paths |= page_addresses(page)
    for slug in Producer.objects.filter(pk__in=producers).values_list("slug", flat=True):
        paths |= addresses(reverse("catalogue:producer", args=[slug]))
    records = Certification.objects.filter(Q(product_id__in=products) | Q(producer_id__in=renamed))
    for pk in records.values_list("pk", flat=True):
        paths |= addresses(reverse("catalogue:certification", args=[pk]))
    for index in ProductIndexPage.objects.only("pk", "url_path", "path", "depth"):
        paths |= page_addresses(index)
    paths |= addresses("/")
    paths |= sitemap_paths(SITEMAP_SECTIONS)
    for function in _shows_products:
        paths |= set(function(products, producers))
    return paths


def sitemap_paths(sections):
    return {reverse("sitemap")} | {reverse("sitemap-section", kwargs={"section": s}) for s in sections}


def send():
    pending = _pending
    paths = pending.paths | resolve(pending.products, pending.producers, pending.renamed)
    pending.clear()
    if not paths:
        return
    urls = sorted(public_url(path) for path in paths)
    for name, backend in get_backends().items():
        chosen = [url for url in urls if backend.invalidates_hostname(urlsplit(url).netloc)]
        logger.info("[%s] purging %d addresses", name, len(chosen))
        backend.purge_batch(chosen)


class PurgeBackend(HTTPBackend):
    """Wagtail's HTTP PURGE backend, with a time limit: a proxy that does not answer must not
    hold the agency's save (Wagtail's waits for ever). TIMEOUT in seconds, 5 by default."""

    def __init__(self, params):
        self.timeout = float(params.pop("TIMEOUT", 5))
        super().__init__(params)

    def purge(self, url):
        parts = urlsplit(url)
        target = parts._replace(scheme=self.cache_scheme, netloc=self.cache_netloc).geturl()
        request = PurgeRequest(url=target, headers={"Host": parts.netloc, "User-Agent": "ocop-purge"})
        try:
            # S310: the scheme is the one of the configured LOCATION, not of any input.
            with urlopen(request, timeout=self.timeout):  # noqa: S310
                pass
        except OSError as error:
            logger.error("Could not purge %s: %s", url, error)


# Signal handlers: each names what changed; resolving waits for the commit.


def page_changed(sender, instance, **kwargs):
    """Published or unpublished: the page, the page listing it, and what shows it if a product."""
    if not enabled():
        return
    parent = instance.get_parent()
    products = [instance.pk] if isinstance(instance, ProductPage) else []
    purge(page_addresses(instance) | (page_addresses(parent) if parent else set()), products=products)


def page_deleted(sender, instance, **kwargs):
    # Before the delete: the page, its records and what features it are still there to be found.
    if not enabled():
        return
    paths = page_addresses(instance)
    if isinstance(instance, ProductPage):
        paths |= resolve(products=[instance.pk])
    purge(paths)


def page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    """A move or a new slug: every page below, at its old and new addresses."""
    if not enabled() or url_path_before == url_path_after:
        return
    paths, products = set(), []
    for page in Page.objects.descendant_of(instance, inclusive=True).only("pk", "url_path", "path", "depth"):
        paths |= page_addresses(page)
        if url_path_before and url_path_after and page.url_path.startswith(url_path_after):
            paths |= page_addresses(page, url_path_before + page.url_path[len(url_path_after) :])
    products = ProductPage.objects.descendant_of(instance, inclusive=True).values_list("pk", flat=True)
    purge(paths, products=list(products))


def slug_changed(sender, instance, instance_before=None, **kwargs):
    page_moved(sender, instance, instance_before.url_path if instance_before else None, instance.url_path)


def restriction_changed(sender, instance, **kwargs):
    """A password, login or group restriction: every page at or below it (public, or no longer)."""
    if not enabled():
        return
    page_ids = {instance.page_id, getattr(instance, "_purge_page_before", None)} - {None}
    paths, products = set(), []
    for page in Page.objects.filter(pk__in=page_ids):
        for below in Page.objects.descendant_of(page, inclusive=True).only("pk", "url_path", "path", "depth"):
            paths |= page_addresses(below)
        products += ProductPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    purge(paths, products=products)


def remember_before(sender, instance, **kwargs):
    """What the row held before this save: the product a record leaves, a producer's old address."""
    if not enabled() or instance.pk is None:
        return
    if sender is Certification:
        instance._purge_product_before = (
            Certification.objects.filter(pk=instance.pk).values_list("product_id", flat=True).first()
        )
    elif sender is Producer:
        instance._purge_slug_before = Producer.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    elif sender is PageViewRestriction:
        instance._purge_page_before = (
            PageViewRestriction.objects.filter(pk=instance.pk).values_list("page_id", flat=True).first()
        )


def record_changed(sender, instance, **kwargs):
    """Saved (stars, dates, revocation), moved to another product, or deleted."""
    paths = addresses(reverse("catalogue:certification", args=[instance.pk]))
    products = [instance.product_id, getattr(instance, "_purge_product_before", None)]
    purge(paths | sitemap_paths(["records"]), products=products)


def producer_changed(sender, instance, created=False, **kwargs):
    if created:
        return
    paths = set()
    old_slug = getattr(instance, "_purge_slug_before", None)
    if old_slug and old_slug != instance.slug:
        paths = addresses(reverse("catalogue:producer", args=[old_slug]))
    purge(paths, renamed=[instance.pk])


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid=f"purge-page-{id(signal)}")
    pre_delete.connect(page_deleted, sender=Page, dispatch_uid="purge-page-deleted")
    pre_delete.connect(page_deleted, sender=ProductPage, dispatch_uid="purge-product-deleted")
    post_page_move.connect(page_moved, dispatch_uid="purge-page-moved")
    page_slug_changed.connect(slug_changed, dispatch_uid="purge-page-slug")
    for model in (Certification, Producer, PageViewRestriction):
        pre_save.connect(remember_before, sender=model, dispatch_uid=f"purge-before-{model.__name__}")
    post_save.connect(record_changed, sender=Certification, dispatch_uid="purge-record-saved")
    post_delete.connect(record_changed, sender=Certification, dispatch_uid="purge-record-deleted")
    post_save.connect(producer_changed, sender=Producer, dispatch_uid="purge-producer-saved")
    post_save.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="purge-restriction-saved")
    post_delete.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="purge-restriction-deleted")
