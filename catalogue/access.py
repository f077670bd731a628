"""THE scoping rule: which producers, products and records a user may manage.

It lives in catalogue because the product page's own form and permission tester need it,
and catalogue must not depend on marketplace being installed.

Agency staff (and superusers) manage everything. Everyone else manages only the
producers they hold a ProducerMembership for. Every admin surface (page explorer,
listings, choosers, edit/preview/history views, snippets, marketplace views) asks
these functions, so a change here reaches them all.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.images import get_image_model
from wagtail.models import PagePermissionTester
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import Certification, Producer, ProducerMembership, ProductImage, ProductPage
from .params import record_id

AGENCY_GROUP = "Agency"
PRODUCERS_GROUP = "Producers"


def is_agency(user):
    """Agency staff moderate everything and alone edit certification records."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_agency", None)
    if cached is None:
        cached = user._is_agency = user.groups.filter(name=AGENCY_GROUP).exists()
    return cached


def producers_for(user):
    """Producers the user may manage: all for the agency, their own for a producer, none otherwise."""
    if is_agency(user):
        return Producer.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return Producer.objects.none()
    # A pk subquery, not a join: the admin search backend can filter on the pk (Producer.search_fields).
    return Producer.objects.filter(pk__in=ProducerMembership.objects.filter(user=user).values("producer_id"))


def producer_ids_for(user):
    """Cached per request (the user object lives as long as the request)."""
    cached = getattr(user, "_producer_ids", None)
    if cached is None:
        cached = frozenset(producers_for(user).values_list("pk", flat=True))
        if user is not None and user.is_authenticated:
            user._producer_ids = cached
    return cached


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


def can_manage_page(user, page):
    """False for a product page of someone else's producer; other pages follow Wagtail's own rules."""
    if is_agency(user) or page.specific_class is not ProductPage:
        return True
    producer_id = getattr(page, "producer_id", None)
    if producer_id is None:
        producer_id = ProductPage.objects.filter(pk=page.pk).values_list("producer_id", flat=True).first()
    return producer_id in producer_ids_for(user)


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


class ProductPagePermissionTester(PagePermissionTester):
    """Page permissions for one product page: none at all on another producer's page."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.in_scope = can_manage_page(user, page)
        if not self.in_scope:
            self.permissions = set()

    def can_submit_for_moderation(self):
        return self.in_scope and super().can_submit_for_moderation()

    def can_view_revisions(self):
        return self.in_scope and super().can_view_revisions()

    def can_set_view_restrictions(self):
        return self.in_scope and super().can_set_view_restrictions()
