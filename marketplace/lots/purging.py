"""What the shared proxy cache must forget when a lot changes, and which lot pages show a product.

A lot's page shows its product's name, its producer and the product's certification today:
catalogue.purging asks `lots_showing` whenever a product, its records or its producer change.
A saved or deleted lot purges its own addresses and its product's page (which lists its lots).
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from catalogue import purging
from catalogue.models import ProductPage

from .models import Lot, LotDocument, LotMaterial, LotStep

ADDRESS_NAMES = ("lots:lot", "lots:label", "lots:qr", "lots:json", "lots:epcis")


def lot_addresses(pk):
    paths = set()
    for name in ADDRESS_NAMES:
        paths |= purging.addresses(reverse(name, args=[pk]))
    return paths


@purging.shows_products
def lots_showing(product_ids, producer_ids):
    lots = Lot.objects.filter(Q(product_id__in=product_ids) | Q(product__producer_id__in=producer_ids))
    paths = set()
    for pk in lots.values_list("pk", flat=True):
        paths |= lot_addresses(pk)
    return paths


def lot_changed(sender, instance, **kwargs):
    if not purging.enabled():
        return
    lot = instance if isinstance(instance, Lot) else Lot.objects.filter(pk=instance.lot_id).first()
    if lot is None:
        return
    product = ProductPage.objects.filter(pk=lot.product_id).only("pk", "url_path", "path", "depth").first()
    paths = lot_addresses(lot.pk) | (purging.page_addresses(product) if product else set())
    purging.purge(paths)


def connect():
    for model in (Lot, LotMaterial, LotStep, LotDocument):
        post_save.connect(lot_changed, sender=model, dispatch_uid=f"purge-lot-{model.__name__}-saved")
        post_delete.connect(lot_changed, sender=model, dispatch_uid=f"purge-lot-{model.__name__}-deleted")
