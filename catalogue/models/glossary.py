"""Glossary terms the agency adds in the admin, on top of the glossary file.

The file `catalogue/glossary/ocop_glossary.txt` is the glossary as shipped; a row here adds
a term the file lacks or overrides the file's line for the same Vietnamese term (the row
wins). Saving or deleting a row makes every process read the glossary again
(`catalogue.glossary.loader`), so search expansion and composed English names follow.
"""

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from ..glossary import forget, read_rows_from


class GlossaryTerm(models.Model):
    vietnamese = models.CharField(
        _("Vietnamese term"),
        max_length=128,
        unique=True,
        help_text=_("As it is written in product names, with its tone marks, e.g. “mực khô”."),
    )
    english = models.CharField(
        _("English rendering"),
        max_length=128,
        blank=True,
        help_text=_(
            "What it is called in an English product name, e.g. “dried squid”. Start with “in”, “with”, “for”, "
            "“of” or “from” to place it after the product (“in teabags”); write “-” for a word with nothing "
            "to translate (“đặc sản”)."
        ),
    )
    synonyms = models.CharField(
        _("other words buyers type"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated; search finds the term through any of them."),
    )
    names_only = models.BooleanField(
        _("names only"),
        default=False,
        help_text=_(
            "Tick for a one-word term that folds onto common words without its tone marks (“chè” is “che” as in "
            "“chế biến”): it then names products but never widens a search."
        ),
    )
    note = models.CharField(_("source or note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["vietnamese"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return f"{self.vietnamese} → {self.english}" if self.english else self.vietnamese


read_rows_from(lambda: GlossaryTerm.objects.all())


@receiver([post_save, post_delete], sender=GlossaryTerm, dispatch_uid="glossary-term-changed")
def _forget_on_change(**kwargs):
    forget()
