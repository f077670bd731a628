"""A production lot of a listed product, its raw materials, steps and documents.

What TCVN 12850:2019 (GS1 Global Traceability Standard 2.0) asks a traceability record to hold,
field by field: docs/producers.md#what-a-lot-records. The GS1 identifiers (GTIN, GLN, lot code)
are stored as GS1 writes them, so a link to the national traceability portal needs no new model.
A lot belongs to its product, and through it to the producer that may edit it (`for_user`).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from catalogue.access import is_agency, producer_ids_for

from ..shared import wards
from .identifiers import compact, validate_gln, validate_gtin, validate_lot_code


class LotQuerySet(models.QuerySet):
    def for_user(self, user):
        """The lots a user may manage: every lot for the agency, its own products' for a producer."""
        if is_agency(user):
            return self
        return self.filter(product__producer__in=producer_ids_for(user))


class Lot(ClusterableModel):
    class Unit(models.TextChoices):
        # UN/ECE Recommendation 20 codes: what EPCIS quantities carry as their unit (`uom`).
        KILOGRAM = "KGM", _("kg")
        GRAM = "GRM", _("g")
        TONNE = "TNE", _("tonne")
        LITRE = "LTR", _("litre")
        MILLILITRE = "MLT", _("ml")
        PIECE = "H87", _("pieces")

    product = models.ForeignKey(
        "catalogue.ProductPage", on_delete=models.CASCADE, related_name="lots", verbose_name=_("product")
    )
    code = models.CharField(
        _("lot code"),
        max_length=20,
        validators=[validate_lot_code],
        help_text=_("As printed on the packaging (GS1 batch/lot, AI 10), e.g. NM2026-031."),
    )
    gtin = models.CharField(
        _("GTIN (barcode number)"),
        max_length=14,
        blank=True,
        validators=[validate_gtin],
        help_text=_("The 8, 12, 13 or 14 digits under the product's barcode, if it has one."),
    )
    produced_on = models.DateField(_("production date"))
    best_before = models.DateField(_("best before"), null=True, blank=True)
    quantity = models.DecimalField(
        _("quantity produced"), max_digits=12, decimal_places=3, validators=[MinValueValidator(0.001)]
    )
    unit = models.CharField(_("unit"), max_length=3, choices=Unit.choices, default=Unit.KILOGRAM)
    site_name = models.CharField(_("processing site"), max_length=200, help_text=_("Where the lot was made or packed."))
    site_address = models.CharField(_("site address"), max_length=300)
    site_gln = models.CharField(
        _("site GLN"), max_length=13, blank=True, validators=[validate_gln], help_text=_("GS1 location number, if any.")
    )
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = _("production lot")
        verbose_name_plural = _("production lots")
        ordering = ["-produced_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="lot_code_per_product")]

    def __str__(self):
        return f"{self.code} · {self.product.title}" if self.product_id else self.code

    def get_absolute_url(self):
        return reverse("lots:lot", args=[self.pk])

    def clean(self):
        self.gtin, self.site_gln = compact(self.gtin), compact(self.site_gln)
        errors = {}
        today = timezone.localdate()
        if self.produced_on and self.produced_on > today:
            errors["produced_on"] = _("The production date cannot be in the future.")
        if self.produced_on and self.best_before and self.best_before <= self.produced_on:
            errors["best_before"] = _("The best-before date must come after the production date.")
        if errors:
            raise ValidationError(errors)

    def certification_when_produced(self):
        """The product's record in force on the production date (None if it held none)."""
        return self.product.certifications.current(self.produced_on).first()

    def certification_history(self):
        """Every record of the product, newest first, each with today's status."""
        return self.product.certifications.with_supersession().order_by("-signed_on", "-pk")


class LotMaterial(Orderable):
    class Source(models.TextChoices):
        OWN_FARM = "own_farm", _("our own farm or raising area")
        FARM = "farm", _("another farm or household")
        SUPPLIER = "supplier", _("a supplier")

    lot = ParentalKey(Lot, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("raw material"), max_length=200, help_text=_("e.g. anchovies, sea salt"))
    source = models.CharField(_("comes from"), max_length=10, choices=Source.choices, default=Source.OWN_FARM)
    source_name = models.CharField(_("farm or supplier"), max_length=200)
    source_gln = models.CharField(_("farm or supplier GLN"), max_length=13, blank=True, validators=[validate_gln])
    province = models.ForeignKey(
        "catalogue.Province",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"era": "current"},
        verbose_name=_("province"),
    )
    ward = models.CharField(
        _("commune or ward"),
        max_length=128,
        help_text=_("Its current name, e.g. Phường Hải Châu; a name from before July 2025 is understood."),
    )
    ward_code = models.CharField(_("ward code"), max_length=5, blank=True, editable=False)
    address_line = models.CharField(_("village, hamlet or plot"), max_length=200, blank=True)
    supplier_lot = models.CharField(_("supplier's lot code"), max_length=20, blank=True, validators=[validate_lot_code])
    received_on = models.DateField(_("harvested or received on"), null=True, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("raw material")
        verbose_name_plural = _("raw materials")

    def __str__(self):
        return self.name

    def clean(self):
        self.source_gln = compact(self.source_gln)
        errors = {}
        if self.received_on and self.received_on > timezone.localdate():
            errors["received_on"] = _("This date cannot be in the future.")
        if self.province_id and self.ward:
            errors.update(self._clean_ward())
        if errors:
            raise ValidationError(errors)

    def _clean_ward(self):
        province = self.province
        found = wards.match(province.code, self.ward)
        if found is None:
            return {
                "ward": _("“%(ward)s” is not a commune or ward of %(province)s.")
                % {"ward": self.ward, "province": province.name}
            }
        if not found.ward:
            names = ", ".join(f"“{candidate.ward}”" for candidate in found.candidates)
            return {
                "ward": _("“%(ward)s” could be %(wards)s. Type the one meant.") % {"ward": self.ward, "wards": names}
            }
        # Kept by its current official name and code, whatever spelling was typed.
        self.ward = found.ward
        self.ward_code = wards.code(province.code, found.ward)
        return {}


class LotStep(Orderable):
    lot = ParentalKey(Lot, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(_("step"), max_length=200, help_text=_("e.g. salting, fermenting, bottling"))
    performed_by = models.CharField(_("done by"), max_length=200, help_text=_("The person or team responsible."))
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("production step")
        verbose_name_plural = _("production steps")

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.started_on and self.started_on > timezone.localdate():
            errors["started_on"] = _("This date cannot be in the future.")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("A step cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


class LotDocument(Orderable):
    class Kind(models.TextChoices):
        TEST_RESULT = "test_result", _("Test result")
        CERTIFICATE = "certificate", _("Certificate")
        OTHER = "other", _("Other document")

    lot = ParentalKey(Lot, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEST_RESULT)
    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. Histamine test, Quatest 3, 03/2026"))
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("file")
    )

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title
