"""OCOP certification records: the public, checkable decisions behind every star."""

import datetime

from dateutil.relativedelta import relativedelta

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index

from ..choices import ChoiceLabels
from ..text import fold

# Stars an evaluation needs to be an OCOP certificate; below it a decision certifies nothing.
CERTIFIED_STARS = 3
# A certificate is valid for 36 months from its signing date (Decision 148/2023).
VALIDITY_MONTHS = 36
# Certificates signed before this day name legacy (pre-merger) provinces.
MERGER_DAY = datetime.date(2025, 7, 1)
# Score bands per star class; a potential 5★ product scores 90+ while shown as 4★.
SCORE_BANDS = {5: (90, 100), 4: (70, 89.99), 3: (50, 69.99), 2: (30, 49.99), 1: (0, 29.99)}


def expiry_for(signed_on):
    """The first day a certificate signed on `signed_on` is no longer valid."""
    return signed_on + relativedelta(months=VALIDITY_MONTHS)


class CertificationQuerySet(models.QuerySet):
    def in_force(self, on=None):
        """Records inside their validity on the given day: signed, not yet expired, not revoked."""
        on = on or timezone.localdate()
        return self.filter(signed_on__lte=on, expires_on__gt=on).exclude(revoked_on__lte=on)

    def _later_decision(self, on):
        """A decision for the same product signed after this one (and by `on`)."""
        return Certification.objects.filter(product=OuterRef("product"), signed_on__lte=on).filter(
            Q(signed_on__gt=OuterRef("signed_on")) | Q(signed_on=OuterRef("signed_on"), pk__gt=OuterRef("pk"))
        )

    def superseded(self, on=None):
        """Records a later decision for the same product replaced: they never count again."""
        return self.filter(Exists(self._later_decision(on or timezone.localdate())))

    def current_value(self, field, on=None, product=None):
        """A subquery: `field` of a product's current record, or NULL when it has none.

        For annotating products (`product` defaults to the outer row's pk). It reads the
        product's latest decision through the (product, signed_on) index and checks that
        one is in force, which costs less than testing every record for a later one.
        """
        on = on or timezone.localdate()
        latest = self.filter(product=product or OuterRef("pk"), signed_on__lte=on).order_by("-signed_on", "-pk")
        in_force = Q(expires_on__gt=on) & (Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))
        value = latest.annotate(value=Case(When(in_force, then=F(field)), default=None))
        return Subquery(value.values("value")[:1])

    def with_supersession(self, on=None):
        """Annotate whether a later decision replaced each record (on `on`, default today), so
        listing records with their status costs no query per record."""
        return self.annotate(is_superseded=Exists(self._later_decision(on or timezone.localdate())))

    def current(self, on=None):
        """Each product's latest decision, when it is in force: at most one record per product.

        A revoked or expired latest decision leaves the product without a current record;
        the older decision it superseded does not come back.
        """
        on = on or timezone.localdate()
        current = self.in_force(on).exclude(Exists(self._later_decision(on)))
        return current.annotate(is_superseded=Value(False)).order_by("-signed_on", "-pk")

    def expired(self, on=None):
        on = on or timezone.localdate()
        return self.filter(expires_on__lte=on).exclude(revoked_on__lte=on)

    def revoked(self, on=None):
        on = on or timezone.localdate()
        return self.filter(revoked_on__lte=on)

    def with_status(self, status, on=None):
        """Records whose status (Certification.status_on) is `status` on the given day."""
        on = on or timezone.localdate()
        Status = Certification.Status
        if status == Status.REVOKED:
            return self.revoked(on)
        if status == Status.EXPIRED:
            return self.expired(on)
        if status == Status.SUPERSEDED:
            return self.in_force(on).superseded(on)
        if status == Status.NOT_YET_IN_FORCE:
            return self.filter(signed_on__gt=on)
        current = self.current(on)
        if status == Status.BELOW_STANDARD:
            return current.filter(stars__lt=CERTIFIED_STARS)
        return current.filter(stars__gte=CERTIFIED_STARS)

    def expiring_between(self, start, end):
        """Current records whose expiry falls in [start, end]."""
        return self.current(start).filter(expires_on__gte=start, expires_on__lte=end)

    def matching(self, query):
        """Records whose decision number, product or producer matches, ignoring diacritics and punctuation."""
        # search_text is folded the same way on save: "828/QĐ-UBND" is stored and sought as "828 qd ubnd".
        folded = fold(query)
        if not folded:
            return self.none()
        return self.filter(search_text__contains=folded)


def current_among(records, on=None):
    """The record `CertificationQuerySet.current()` picks, chosen among one product's records
    already read latest decision first (ordered "-signed_on", "-pk"): the latest decision signed
    by `on`, when that one is in force; else None. A page that lists the records anyway learns
    its current one without asking again."""
    on = on or timezone.localdate()
    latest = next((record for record in records if record.signed_on <= on), None)
    if latest is None or latest.expires_on <= on or (latest.revoked_on and latest.revoked_on <= on):
        return None
    return latest


def mark_supersession(records, on=None):
    """Annotate one product's records, already read latest decision first, as `with_supersession`
    would in SQL: a record is superseded when a later decision signed by `on` exists for the
    product. Returns the records."""
    on = on or timezone.localdate()
    later = False
    for record in records:
        record.is_superseded = later
        later = later or record.signed_on <= on
    return records


class Certification(ChoiceLabels, RevisionMixin, index.Indexed, models.Model):
    class Level(models.TextChoices):
        DISTRICT = "district", _("District People's Committee")
        PROVINCIAL = "provincial", _("Provincial People's Committee")
        NATIONAL = "national", _("National (Ministry)")

    class RecognitionType(models.TextChoices):
        FIRST = "first", _("First recognition")
        RE_RECOGNITION = "re_recognition", _("Re-recognition after expiry")
        UPGRADE = "upgrade", _("Upgrade")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        NOT_YET_IN_FORCE = "not_yet_in_force", _("Not yet in force")
        BELOW_STANDARD = "below_standard", _("Evaluated below 3★: not certified")
        SUPERSEDED = "superseded", _("Superseded by a later decision")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    product = models.ForeignKey(
        "catalogue.ProductPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certifications",
        verbose_name=_("product"),
        help_text=_("The product page this decision certifies."),
    )
    producer = models.ForeignKey(
        "catalogue.Producer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certifications",
        verbose_name=_("producer"),
    )
    # As written on the decision, so the public record survives edits and deletions of pages.
    product_name = models.CharField(
        _("product name"), max_length=255, help_text=_("Product name as written on the decision.")
    )
    producer_name = models.CharField(
        _("producer name"), max_length=255, help_text=_("Producer name as written on the decision.")
    )
    issued_address = models.CharField(
        _("address as issued"),
        max_length=255,
        blank=True,
        help_text=_("Producer address as written (may name a pre-2025 district)."),
    )
    legacy_province = models.ForeignKey(
        "catalogue.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"era": "legacy"},
        verbose_name=_("province as issued"),
        help_text=_("Province as issued, for decisions signed before 1 July 2025."),
    )
    category_as_issued = models.CharField(
        _("product group as issued"),
        max_length=255,
        blank=True,
        help_text=_("Product group as written (older decisions use the 2018 groups)."),
    )

    decision_number = models.CharField(_("decision number"), max_length=64, help_text=_('e.g. "828/QĐ-UBND"'))
    issuing_body = models.CharField(_("issuing body"), max_length=255, help_text=_("e.g. UBND tỉnh Bắc Ninh"))
    recognition_level = models.CharField(_("recognition level"), max_length=12, choices=Level.choices)
    recognition_type = models.CharField(
        _("recognition type"), max_length=16, choices=RecognitionType.choices, default=RecognitionType.FIRST
    )
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Optional: not every province publishes scores."),
    )
    potential_five_star = models.BooleanField(
        _("potential 5★"),
        default=False,
        help_text=_("Scored 90+ by the province; awaits the national evaluation."),
    )
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), editable=False, help_text=_("Signing date + 36 months."))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=255, blank=True)
    serial_number = models.CharField(
        _("serial number"), max_length=64, blank=True, help_text=_("Optional certificate serial number.")
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("Scanned decision or certificate."),
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="certification")

    objects = CertificationQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("product"), FieldPanel("product_name"), FieldPanel("producer"), FieldPanel("producer_name")],
            heading=_("What is certified"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision_number"), FieldPanel("signed_on")]),
                FieldPanel("issuing_body"),
                FieldRowPanel([FieldPanel("recognition_level"), FieldPanel("recognition_type")]),
                FieldRowPanel([FieldPanel("stars"), FieldPanel("score"), FieldPanel("potential_five_star")]),
                FieldPanel("serial_number"),
                FieldPanel("document"),
            ],
            heading=_("Decision"),
        ),
        MultiFieldPanel(
            [FieldPanel("legacy_province"), FieldPanel("issued_address"), FieldPanel("category_as_issued")],
            heading=_("As issued"),
        ),
        MultiFieldPanel(
            [FieldPanel("revoked_on"), FieldPanel("revocation_reason")],
            heading=_("Revocation"),
        ),
    ]

    search_fields = [
        index.SearchField("decision_number"),
        index.SearchField("product_name"),
        index.SearchField("producer_name"),
        index.AutocompleteField("product_name"),
        index.FilterField("stars"),
        index.FilterField("expires_on"),
    ]

    class Meta:
        verbose_name = _("certification record")
        verbose_name_plural = _("certification records")
        ordering = ["-signed_on", "-pk"]
        indexes = [
            models.Index(fields=["product", "signed_on"], name="cert_product_signed"),
            models.Index(fields=["expires_on"], name="cert_expires"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="cert_stars_1_to_5"),
        ]

    def __str__(self):
        return f"{self.decision_number}: {self.product_name} ({self.stars}★)"

    def get_absolute_url(self):
        return reverse("catalogue:certification", args=[self.pk])

    def clean(self):
        errors = {}
        if self.score is not None and self.stars:
            low, high = SCORE_BANDS[self.stars]
            in_band = low <= float(self.score) <= high
            potential = self.potential_five_star and self.stars == 4 and self.score >= 90
            if not (in_band or potential):
                errors["score"] = gettext("A %(stars)s★ result scores %(low)s–%(high)s points.") % {
                    "stars": self.stars,
                    "low": f"{low:g}",
                    "high": int(high),
                }
        if self.potential_five_star and self.stars != 4:
            errors["potential_five_star"] = gettext("A potential 5★ product is shown as 4★ until the national result.")
        if self.revoked_on and not self.revocation_reason:
            errors["revocation_reason"] = gettext("Say why the certificate was revoked; buyers read this.")
        if self.revoked_on and self.signed_on and self.revoked_on < self.signed_on:
            errors["revoked_on"] = gettext("A certificate cannot be revoked before it was signed.")
        if self.legacy_province_id and self.signed_on and self.signed_on >= MERGER_DAY:
            errors["legacy_province"] = gettext("Decisions signed from 1 July 2025 name current provinces only.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.expires_on = expiry_for(self.signed_on)
        if self.product_id:
            self.product_name = self.product_name or self.product.title
            if not self.producer_id:
                self.producer_id = self.product.producer_id
        if self.producer_id and not self.producer_name:
            self.producer_name = self.producer.name
        self.search_text = " ".join(fold(t) for t in (self.decision_number, self.product_name, self.producer_name))
        super().save(*args, **kwargs)

    def status_on(self, on=None):
        # Today's supersession may come annotated (with_supersession, current); other days ask.
        known = self.__dict__.get("is_superseded") if on is None else None
        on = on or timezone.localdate()
        if self.revoked_on and self.revoked_on <= on:
            return self.Status.REVOKED
        if self.expires_on <= on:
            return self.Status.EXPIRED
        if self.signed_on > on:
            # Signed for a later day: it certifies nothing yet, whatever its stars.
            return self.Status.NOT_YET_IN_FORCE
        if known is None:
            known = bool(self.product_id) and Certification.objects.filter(pk=self.pk).superseded(on).exists()
        if known:
            return self.Status.SUPERSEDED
        if self.stars < CERTIFIED_STARS:
            return self.Status.BELOW_STANDARD
        return self.Status.VALID

    @cached_property
    def superseded_by(self):
        """The decision that replaced this one, if any."""
        if not self.product_id:
            return None
        later = Certification.objects.filter(product_id=self.product_id).filter(
            Q(signed_on__gt=self.signed_on) | Q(signed_on=self.signed_on, pk__gt=self.pk)
        )
        return later.order_by("signed_on", "pk").first()

    @property
    def revisions(self):
        return self._revisions

    @cached_property
    def status(self):
        return self.status_on()

    def get_status_display(self):
        return self.Status(self.status).label
