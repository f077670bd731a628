"""The agency's records: decision batches and their held rows, certificate documents, expiry reminders.

A province publishes a recognition decision once, with an annex of products; a revocation
decision with a list of records. Each upload is a DecisionBatch (the decision as entered
by the agency). Rows that are incomplete or wrong are kept as HeldRows with their reasons,
so nothing the agency uploaded is lost: it completes them in the admin and imports them.
Producers upload certificate documents for the agency to check against the records; one
ExpiryReminder per record and threshold says which reminders went out.
"""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency, producers_for


class DecisionBatch(models.Model):
    """One decision as the agency entered it, and the file that came with it."""

    class Kind(models.TextChoices):
        RECOGNITION = "recognition", _("Recognition decision")
        REVOCATION = "revocation", _("Revocation decision")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RECOGNITION)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=255, blank=True)
    reason = models.CharField(_("revocation reason"), max_length=255, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    # Same decision and same file content: the same batch, so importing twice adds nothing.
    fingerprint = models.CharField(max_length=64, unique=True, editable=False, verbose_name=_("fingerprint"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("decision batch")
        verbose_name_plural = _("decision batches")

    def __str__(self):
        return f"{self.decision_number or self.filename} ({self.get_kind_display()})"

    @staticmethod
    def fingerprint_for(kind, content, decision_number="", signed_on=None, issuing_body="", reason=""):
        digest = hashlib.sha256()
        head = [kind, decision_number, signed_on.isoformat() if signed_on else "", issuing_body, reason]
        digest.update(json.dumps(head, ensure_ascii=False).encode())
        digest.update(content if isinstance(content, bytes) else str(content).encode())
        return digest.hexdigest()


class HeldRow(models.Model):
    """An annex row not imported yet: incomplete (something is missing) or wrong (an error)."""

    class Problem(models.TextChoices):
        INCOMPLETE = "incomplete", _("Incomplete")
        ERROR = "error", _("Error")

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    batch = models.ForeignKey(
        DecisionBatch, on_delete=models.CASCADE, related_name="held_rows", verbose_name=_("import")
    )
    line = models.PositiveIntegerField(_("row in the file"))
    # {column: text} with the importer's column names (producer, product_name, stars, …).
    values = models.JSONField(_("values"), default=dict)
    reasons = models.JSONField(_("reasons"), default=list)
    problem = models.CharField(_("problem"), max_length=12, choices=Problem.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    certification = models.ForeignKey(
        "catalogue.Certification",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("certification record"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["batch", "line"]
        verbose_name = _("held row")
        verbose_name_plural = _("held rows")
        constraints = [models.UniqueConstraint(fields=["batch", "line"], name="held_row_batch_line")]

    def __str__(self):
        return f"{self.batch}: row {self.line}"


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
