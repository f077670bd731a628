"""Who acts for which producer: the link every producer-scoped admin surface reads.

The membership rule itself (is_agency, producers_for, producer_ids_for) lives here, beside
the model it reads, so the product page's form and permission tester can use it;
catalogue.access builds every other admin scope on it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .producers import Producer

AGENCY_GROUP = "Agency"
PRODUCERS_GROUP = "Producers"


class ProducerMembership(models.Model):
    """A user account acting for a producer (producers_for below scopes the admin by it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="producer_memberships",
        verbose_name=_("user"),
    )
    producer = models.ForeignKey(
        "catalogue.Producer", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("producer")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)

    class Meta:
        verbose_name = _("producer membership")
        verbose_name_plural = _("producer memberships")
        ordering = ["producer__name", "user__email"]
        constraints = [models.UniqueConstraint(fields=["user", "producer"], name="membership_user_producer")]

    def __str__(self):
        return _("%(user)s for %(producer)s") % {"user": self.user, "producer": self.producer}


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
