"""Publishing, unpublishing, deleting, moving and record changes re-index the product."""

from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from catalogue.models import Certification, Producer, ProductPage

from .tasks import reindex_products


def _enqueue(page_ids):
    page_ids = sorted({int(pk) for pk in page_ids if pk})
    if page_ids:
        reindex_products.enqueue(page_ids)


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
