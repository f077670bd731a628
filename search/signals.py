"""Publishing, unpublishing, deleting, moving and record changes re-index the product."""

import contextlib
import contextvars

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from catalogue.models import Certification, Producer, ProductPage

from .tasks import reindex_products

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


def page_changed(sender, instance, **kwargs):
    _enqueue([instance.pk])


def record_changed(sender, instance, **kwargs):
    _enqueue([instance.product_id])


def producer_changed(sender, instance, created=False, **kwargs):
    if not created:
        _enqueue(ProductPage.objects.filter(producer=instance).values_list("pk", flat=True))


def connect():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(page_changed, sender=ProductPage, dispatch_uid=f"search-{id(signal)}")
    post_delete.connect(page_changed, sender=ProductPage, dispatch_uid="search-page-deleted")
    post_save.connect(record_changed, sender=Certification, dispatch_uid="search-record-saved")
    post_delete.connect(record_changed, sender=Certification, dispatch_uid="search-record-deleted")
    post_save.connect(producer_changed, sender=Producer, dispatch_uid="search-producer-saved")
