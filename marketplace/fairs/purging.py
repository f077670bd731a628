"""What the shared proxy cache must forget when a fair or its exhibitors change, and which fair
pages show a product (catalogue.purging asks every time a product or producer changes).

A fair page lists its exhibitors with their visible products and its featured products; a
product's and a producer's pages name the upcoming fairs they exhibit at; the calendars name
every fair.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.urls import reverse

from wagtail.signals import page_published, page_unpublished

from catalogue import purging

from .models import Exhibitor, FairFeaturedProduct, FairPage


@purging.shows_products
def fairs_showing(product_ids, producer_ids):
    fair_ids = set(
        Exhibitor.objects.filter(Q(products__in=product_ids) | Q(producer_id__in=producer_ids)).values_list(
            "fair_id", flat=True
        )
    )
    fair_ids |= set(FairFeaturedProduct.objects.filter(product_id__in=product_ids).values_list("page_id", flat=True))
    paths = set()
    for fair in FairPage.objects.filter(pk__in=fair_ids).only("pk", "url_path", "path", "depth"):
        paths |= purging.page_addresses(fair)
    return paths


def _calendars(fair_id):
    return purging.addresses(reverse("fairs:calendar")) | purging.addresses(
        reverse("fairs:fair-calendar", args=[fair_id])
    )


def _exhibiting(fair_id):
    exhibitors = Exhibitor.objects.filter(fair_id=fair_id)
    products = [pk for pk in exhibitors.values_list("products", flat=True) if pk]
    return products, list(exhibitors.values_list("producer_id", flat=True))


def fair_changed(sender, instance, **kwargs):
    """Published or unpublished: the calendars and the pages of everyone exhibiting (the fair
    page itself and its index: catalogue.purging.page_changed)."""
    if not purging.enabled():
        return
    products, producers = _exhibiting(instance.pk)
    purging.purge(_calendars(instance.pk) | purging.sitemap_paths(["fairs"]), products=products, producers=producers)


def fair_deleted(sender, instance, **kwargs):
    # Before the delete: its exhibitors are gone by the commit.
    if not purging.enabled():
        return
    products, producers = _exhibiting(instance.pk)
    paths = _calendars(instance.pk) | purging.sitemap_paths(["fairs"])
    purging.purge(paths | purging.resolve(products=products, producers=producers))


def exhibitor_changed(sender, instance, **kwargs):
    """Accepted, declined, placed in a zone or booth, products chosen, withdrawn."""
    if not purging.enabled():
        return
    action = kwargs.get("action", "post_save")
    exhibitor = instance if isinstance(instance, Exhibitor) else None
    if exhibitor is None or exhibitor.pk is None or action not in ("post_save", "post_add", "post_remove", "pre_clear"):
        return
    fair = FairPage.objects.filter(pk=exhibitor.fair_id).only("pk", "url_path", "path", "depth").first()
    paths = _calendars(exhibitor.fair_id) | (purging.page_addresses(fair) if fair else set())
    products = list(exhibitor.products.values_list("pk", flat=True)) + list(kwargs.get("pk_set") or ())
    purging.purge(paths, products=products, producers=[exhibitor.producer_id])


def connect():
    for signal in (page_published, page_unpublished):
        signal.connect(fair_changed, sender=FairPage, dispatch_uid=f"purge-fair-{id(signal)}")
    pre_delete.connect(fair_deleted, sender=FairPage, dispatch_uid="purge-fair-deleted")
    post_save.connect(exhibitor_changed, sender=Exhibitor, dispatch_uid="purge-exhibitor-saved")
    pre_delete.connect(exhibitor_changed, sender=Exhibitor, dispatch_uid="purge-exhibitor-deleted")
    m2m_changed.connect(exhibitor_changed, sender=Exhibitor.products.through, dispatch_uid="purge-exhibitor-products")
