"""Every change that can alter what the visibility rule says re-indexes each product it touches.

Product pages (publish, unpublish, scheduled expiry, delete, move), certification records
(saved, deleted, or moved from one product to another: both are re-indexed), producers
(renamed), a producer's measured responsiveness (the reply-time filter and sort), view
restrictions (added to or removed from a product or any page above it:
every product below) and pages above products whose address changes (a new slug or a move:
every product below, whose stored URL changed).

It also holds `search_performed`, sent by the public search page after each search with what was
asked and how many products answered: apps above search (the marketplace's demand figures)
listen to it, so search never imports them.
"""

import contextlib
import contextvars

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from catalogue.models import Certification, Producer, ProductPage, Responsiveness

from .tasks import reindex_products

# Sent by search.views.search_page with request, query (the folded words), language, filters
# (the other parameters as "name=value" joined by "&"), results (the total) and product_ids (the
# products on the page shown). A receiver must not raise: the page is answered whatever it does.
search_performed = Signal()

# Inside batched(), the set collecting page ids instead of enqueuing one task per change.
_collecting = contextvars.ContextVar("search_reindex_batch", default=None)


def _enqueue(page_ids):
    page_ids = sorted({int(pk) for pk in page_ids if pk})
    collected = _collecting.get()
    if collected is not None:
        collected.update(page_ids)
    elif page_ids:
        reindex_products.enqueue(page_ids)


@contextlib.contextmanager
def batched():
    """Collect the products changed inside the block and enqueue ONE re-index task after commit.

    A bulk import saves thousands of records; one task per save would re-index the same
    products over and over. Ids collected in a block that is rolled back are dropped.
    """
    if _collecting.get() is not None:  # nested: the outer block enqueues
        yield _collecting.get()
        return
    collected = set()
    token = _collecting.set(collected)
    try:
        yield collected
    finally:
        _collecting.reset(token)
    if collected:
        page_ids = sorted(collected)
        transaction.on_commit(lambda: reindex_products.enqueue(page_ids))


def _products_under(page_ids):
    """Product pages at or below these pages (one query per page)."""
    found = []
    for page in Page.objects.filter(pk__in=[pk for pk in page_ids if pk]):
        found.extend(ProductPage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    return found


def _stored(instance, *fields):
    """The values of `fields` as the database holds them before this save (None if new)."""
    if instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).values_list(*fields).first()


def page_changed(sender, instance, **kwargs):
    _enqueue([instance.pk])


def page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    # Any page: a moved parent changes its products' addresses and may put them under a
    # restriction. The same url_path means the same parent: a reorder, which changes neither.
    if url_path_before is None or url_path_before != url_path_after:
        _enqueue(_products_under([instance.pk]))


def address_changed(sender, instance, **kwargs):
    """A new slug rewrote the url_path of every page below: their stored URLs are stale."""
    _enqueue(_products_under([instance.pk]))


def remember_product(sender, instance, **kwargs):
    before = _stored(instance, "product_id")
    instance._search_product_before = before[0] if before else None


def record_changed(sender, instance, **kwargs):
    # A record moved to another product leaves the old one with a different current record.
    _enqueue([instance.product_id, getattr(instance, "_search_product_before", None)])


def remember_restricted_page(sender, instance, **kwargs):
    before = _stored(instance, "page_id")
    instance._search_page_before = before[0] if before else None


def restriction_changed(sender, instance, **kwargs):
    """A view restriction (password, login or groups) hides every product at or below its page
    (PageQuerySet.public); lifting it brings them back."""
    _enqueue(_products_under([instance.page_id, getattr(instance, "_search_page_before", None)]))


def producer_changed(sender, instance, created=False, **kwargs):
    if not created:
        _enqueue(ProductPage.objects.filter(producer=instance).values_list("pk", flat=True))


def responsiveness_changed(sender, instance, **kwargs):
    # The marketplace saves the row only when its figures change, so this is rare.
    _enqueue(ProductPage.objects.filter(producer_id=instance.producer_id).values_list("pk", flat=True))


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, sender=ProductPage, dispatch_uid=f"search-{id(signal)}")
    post_page_move.connect(page_moved, dispatch_uid="search-page-moved")
    page_slug_changed.connect(address_changed, dispatch_uid="search-page-slug-changed")
    post_delete.connect(page_changed, sender=ProductPage, dispatch_uid="search-page-deleted")
    pre_save.connect(remember_product, sender=Certification, dispatch_uid="search-record-product-before")
    post_save.connect(record_changed, sender=Certification, dispatch_uid="search-record-saved")
    post_delete.connect(record_changed, sender=Certification, dispatch_uid="search-record-deleted")
    post_save.connect(producer_changed, sender=Producer, dispatch_uid="search-producer-saved")
    post_save.connect(responsiveness_changed, sender=Responsiveness, dispatch_uid="search-responsiveness-saved")
    post_delete.connect(responsiveness_changed, sender=Responsiveness, dispatch_uid="search-responsiveness-deleted")
    pre_save.connect(remember_restricted_page, sender=PageViewRestriction, dispatch_uid="search-restriction-before")
    post_save.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
