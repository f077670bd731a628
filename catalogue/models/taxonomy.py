"""Product groups and sub-groups (Decision 148/QĐ-TTg, 2023)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import bilingual


class CategoryQuerySet(models.QuerySet):
    def groups(self):
        return self.filter(parent__isnull=True)

    def subtree(self, category):
        """The category and everything below it, e.g. `food` holds `fresh-produce`."""
        return self.filter(Q(code=category.code) | Q(code__startswith=f"{category.code}."))


class Category(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("Numbering of Decision 148, e.g. 1.4.a"))
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128, help_text=_("Vietnamese name"))
    name_en = models.CharField(_("English name"), max_length=128)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent group"),
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")

    def __str__(self):
        return f"{self.code} {self.name_en}"

    @property
    def localized_name(self):
        """The group's name in the active language."""
        return bilingual.shown(self.name, self.name_en)

    @property
    def depth(self):
        return self.code.count(".") + 1

    @property
    def group(self):
        """The top-level group (I–VI) this category belongs to."""
        node = self
        while node.parent_id:
            node = node.parent
        return node
