"""Who acts for which producer: the link every producer-scoped admin surface reads."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProducerMembership(models.Model):
    """A user account acting for a producer (catalogue.access scopes the admin by it)."""

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
