"""Product groups and sub-groups (Decision 148/QĐ-TTg, 2023)."""

from django.db import models
from django.db.models import Q


class CategoryQuerySet(models.QuerySet):
    def groups(self):
        return self.filter(parent__isnull=True)

    def subtree(self, category):
        """The category and everything below it, e.g. `food` holds `fresh-produce`."""
        return self.filter(Q(code=category.code) | Q(code__startswith=f"{category.code}."))


class Category(models.Model):
    code = models.CharField(max_length=8, unique=True, help_text="Numbering of Decision 148, e.g. 1.4.a")
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=128, help_text="Vietnamese name")
    name_en = models.CharField("English name", max_length=128)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "categories"

    def __str__(self):
        return f"{self.code} {self.name_en}"

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
