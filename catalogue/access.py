"""THE scoping rule: which producers, products and records a user may manage.

It lives in catalogue because the product page's own form and permission tester need it,
and catalogue must not depend on marketplace being installed.

Agency staff (and superusers) manage everything. Everyone else manages only the
producers they hold a ProducerMembership for. Every admin surface (page explorer,
listings, choosers, edit/preview/history views, snippets, marketplace views) asks
these functions, so a change here reaches them all.

The membership rule (is_agency, producers_for, producer_ids_for) lives with ProducerMembership
and the product page's own test (can_manage_page, ProductPagePermissionTester) with ProductPage,
since the models use them; they are named here too, so every surface imports one module.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.images import get_image_model
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import Certification, Producer, ProductImage, ProductPage
from .models.members import AGENCY_GROUP, PRODUCERS_GROUP, is_agency, producer_ids_for, producers_for
from .models.products import ProductPagePermissionTester, can_manage_page
from .params import record_id

__all__ = [
    "AGENCY_GROUP",
    "PRODUCERS_GROUP",
    "ProducerScopedImagePermissionPolicy",
    "ProducerScopedPagePermissionPolicy",
    "ProductPagePermissionTester",
    "can_manage_page",
    "certifications_for",
    "images_for",
    "is_agency",
    "out_of_scope",
    "producer_ids_for",
    "producers_for",
    "products_for",
    "scope_page_queryset",
]


def products_for(user):
    if is_agency(user):
        return ProductPage.objects.all()
    return ProductPage.objects.filter(producer__in=producers_for(user))


def certifications_for(user):
    if is_agency(user):
        return Certification.objects.all()
    return Certification.objects.filter(producer__in=producers_for(user))


def images_for(user):
    """Images the user may choose: all for the agency; for a producer, those its own people
    uploaded and those its product pages and logos already show."""
    images = get_image_model().objects.all()
    if is_agency(user):
        return images
    producer_ids = producer_ids_for(user)
    colleagues = get_user_model().objects.filter(producer_memberships__producer__in=producer_ids).values("pk")
    shown = ProductImage.objects.filter(page__producer__in=producer_ids).values("image_id")
    logos = Producer.objects.filter(pk__in=producer_ids, logo__isnull=False).values("logo_id")
    return images.filter(Q(uploaded_by_user__in=colleagues) | Q(pk__in=shown) | Q(pk__in=logos))


def out_of_scope(user, kind, ids):
    """True if any of these ids names a page, image, producer or record the user may not see.

    kind is "page", "image", "producer" or "certification"; ids that are not numbers name nothing.
    """
    ids = [pk for pk in map(record_id, ids) if pk is not None]
    if not ids or is_agency(user):
        return False
    mine = producer_ids_for(user)
    if kind == "page":
        return ProductPage.objects.filter(pk__in=ids).exclude(producer__in=mine).exists()
    if kind == "image":
        return get_image_model().objects.filter(pk__in=ids).exclude(pk__in=images_for(user).values("pk")).exists()
    if kind == "producer":
        return Producer.objects.filter(pk__in=ids).exclude(pk__in=mine).exists()
    if kind == "certification":
        return Certification.objects.filter(pk__in=ids).exclude(producer__in=mine).exists()
    raise ValueError(kind)


def scope_page_queryset(user, pages):
    """Drop other producers' product pages from any page queryset.

    Written as "product pages not among mine" so the subquery stays the size of one
    producer's catalogue, not the whole catalogue's.
    """
    if is_agency(user):
        return pages
    own = products_for(user).values("pk")
    return pages.exclude(Q(content_type=ContentType.objects.get_for_model(ProductPage)) & ~Q(pk__in=own))


class ProducerScopedPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, minus other producers' product pages (registered for Page in apps.py)."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not can_manage_page(user, instance):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return scope_page_queryset(user, super().instances_user_has_any_permission_for(user, actions))

    def explorable_instances(self, user):
        return scope_page_queryset(user, super().explorable_instances(user))


class ProducerScopedImagePermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's image policy, minus images outside images_for(user) (registered in apps.py).

    Every producer may choose from the one shared collection; this keeps the chooser, the
    dashboard count and the duplicate-upload warning to the producer's own images.
    """

    def __init__(self, model):
        # As wagtail.images.get_permission_policy() builds Wagtail's own.
        super().__init__(model, auth_model="wagtailimages.Image", owner_field_name="uploaded_by_user")

    def instances_user_has_any_permission_for(self, user, actions):
        images = super().instances_user_has_any_permission_for(user, actions)
        return images if is_agency(user) else images.filter(pk__in=images_for(user).values("pk"))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not is_agency(user) and not images_for(user).filter(pk=instance.pk).exists():
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)
