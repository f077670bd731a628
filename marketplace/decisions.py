"""What an import leaves behind: the decision batches and the rows they could not import yet.

A province publishes a recognition decision once, with an annex of products; a revocation
decision with a list of records. Each upload is a DecisionBatch (the decision as entered
by the agency). Rows that are incomplete or wrong are kept as HeldRows with their reasons,
so nothing the agency uploaded is lost: it completes them in the admin and imports them.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
