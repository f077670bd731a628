"""What the agency checks (certificate documents) and which expiry reminders went out."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency, producers_for

from .decisions import DecisionBatch, HeldRow

__all__ = ["CertificateSubmission", "DecisionBatch", "ExpiryReminder", "HeldRow", "submissions_for"]


def submission_path(instance, filename):
    # Unguessable names: the file is served only through the scoped download view.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"certificate-submissions/{uuid.uuid4().hex}.{extension}"


class CertificateSubmission(models.Model):
    """A certificate document a producer uploads for the agency to check against the record."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the agency")
        ACCEPTED = "accepted", _("Checked: matches the record")
        REJECTED = "rejected", _("Rejected")

    producer = models.ForeignKey(
        "catalogue.Producer",
        on_delete=models.CASCADE,
        related_name="certificate_submissions",
        verbose_name=_("producer"),
    )
    product = models.ForeignKey(
        "catalogue.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("product"),
    )
    file = models.FileField(upload_to=submission_path, verbose_name=_("file"))
    original_name = models.CharField(max_length=255, editable=False, default="", verbose_name=_("original file name"))
    note = models.TextField(
        blank=True,
        help_text=_("Decision number, what changed, anything the agency should know."),
        verbose_name=_("note"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificate_submissions",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("submitted at"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, verbose_name=_("status"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_note = models.CharField(max_length=255, blank=True, verbose_name=_("review note"))

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("certificate document")
        verbose_name_plural = _("certificate documents")

    def __str__(self):
        return f"{self.original_name or self.file.name} ({self.producer})"


def submissions_for(user):
    """Certificate documents the user may see: all for the agency, their producers' otherwise."""
    if is_agency(user):
        return CertificateSubmission.objects.all()
    return CertificateSubmission.objects.filter(producer__in=producers_for(user))


class ExpiryReminder(models.Model):
    """One reminder per record and threshold, so the daily command can run twice without repeating itself."""

    THRESHOLDS = (90, 30)

    certification = models.ForeignKey(
        "catalogue.Certification",
        on_delete=models.CASCADE,
        related_name="expiry_reminders",
        verbose_name=_("certification record"),
    )
    threshold_days = models.PositiveSmallIntegerField(verbose_name=_("days before expiry"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    recipients = models.TextField(
        blank=True, help_text=_("Addresses the reminder went to, one per line."), verbose_name=_("recipients")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("expiry reminder")
        verbose_name_plural = _("expiry reminders")
        constraints = [
            models.UniqueConstraint(fields=["certification", "threshold_days"], name="reminder_record_threshold")
        ]

    def __str__(self):
        return f"{self.threshold_days}-day reminder for {self.certification}"


# Inquiries live in their own module; importing them here registers them with the app.
# Trade fairs and curated collections (marketplace/fairs, marketplace/collections).
from .collections.models import (  # noqa: E402, F401
    CollectionItem,
    CollectionRule,
    ProductCollectionIndexPage,
    ProductCollectionPage,
)
from .fairs.models import (  # noqa: E402, F401
    Exhibitor,
    FairFeaturedProduct,
    FairIndexPage,
    FairLivestream,
    FairPage,
    FairZone,
    MeetingNotification,
    MeetingRequest,
)
from .inquiries.models import Inquiry, InquiryMessage, InquiryNotification, InquirySettings  # noqa: E402, F401
from .orders.models import (  # noqa: E402, F401
    OrderNotification,
    OrderTransition,
    SampleOrder,
    SampleOrderSettings,
    ShippingZone,
    StripeEvent,
)
