"""What the agency checks (certificate documents) and which expiry reminders went out."""

import uuid

from django.conf import settings
from django.db import models

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
        PENDING = "pending", "Waiting for the agency"
        ACCEPTED = "accepted", "Checked: matches the record"
        REJECTED = "rejected", "Rejected"

    producer = models.ForeignKey("catalogue.Producer", on_delete=models.CASCADE, related_name="certificate_submissions")
    product = models.ForeignKey(
        "catalogue.ProductPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=submission_path)
    original_name = models.CharField(max_length=255, editable=False, default="")
    note = models.TextField(blank=True, help_text="Decision number, what changed, anything the agency should know.")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="certificate_submissions"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

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
        "catalogue.Certification", on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    threshold_days = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True, help_text="Addresses the reminder went to, one per line.")

    class Meta:
        ordering = ["-created_at"]
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
