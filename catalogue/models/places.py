"""Provinces of Vietnam in both eras: the 63 before 1 July 2025 and the 34 after it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalogue.params import is_slug


class ProvinceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(era=Province.Era.CURRENT)

    def legacy(self):
        return self.filter(era=Province.Era.LEGACY)

    def by_slug(self, slug):
        """The province a URL slug names, and the legacy one it came from (or None).

        A current slug wins; a legacy slug resolves to its successor, so
        `quang-nam` answers Đà Nẵng and says it came from Quảng Nam. Text that cannot be a
        slug (NUL, which PostgreSQL refuses, among it) names no province without a query.
        """
        if not is_slug(slug):
            return None, None
        return resolve_slug_match({p.era: p for p in self.select_related("successor").filter(slug=slug)})


def resolve_slug_match(found):
    """From the provinces sharing one slug, keyed by era: (the current province, the legacy one or None)."""
    if Province.Era.CURRENT in found:
        return found[Province.Era.CURRENT], None
    legacy = found.get(Province.Era.LEGACY)
    if legacy is not None:
        return legacy.successor, legacy
    return None, None


class Province(models.Model):
    class Era(models.TextChoices):
        CURRENT = "current", _("Since 1 July 2025 (34 provinces)")
        LEGACY = "legacy", _("Before 1 July 2025 (63 provinces)")

    code = models.PositiveSmallIntegerField(_("code"), help_text=_("Two-digit code; its meaning depends on the era."))
    era = models.CharField(_("era"), max_length=8, choices=Era.choices)
    name = models.CharField(_("name"), max_length=64, help_text=_("Short name, e.g. Hà Nội"))
    full_name = models.CharField(_("full name"), max_length=96, help_text=_("Official name, e.g. Thành phố Hà Nội"))
    name_ascii = models.CharField(
        _("name without diacritics"), max_length=64, help_text=_("Name without diacritics, e.g. Ha Noi")
    )
    slug = models.SlugField(_("slug"), max_length=64)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        limit_choices_to={"era": "current"},
        verbose_name=_("successor"),
        help_text=_("For a legacy province: the current province it became part of."),
    )

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["era", "name_ascii"]
        constraints = [
            models.UniqueConstraint(fields=["code", "era"], name="province_code_per_era"),
            models.UniqueConstraint(fields=["slug", "era"], name="province_slug_per_era"),
        ]

    def __str__(self):
        if self.era == self.Era.LEGACY:
            return _("%(name)s (before 2025)") % {"name": self.name}
        return self.name

    @property
    def is_current(self):
        return self.era == self.Era.CURRENT

    @property
    def current(self):
        """The province as it is today: itself, or its successor."""
        return self if self.is_current else self.successor
