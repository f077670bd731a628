"""English titles and introductions for the pages the agency writes (fairs, collections, indexes).

A product carries its English name and description itself (ProductPage.name_en, …); the
pages around the products are written by the agency, and a foreign buyer reading
/en/fairs/ should not meet only Vietnamese headings. Each keeps its Vietnamese text in
Wagtail's own fields and the English beside it, in the same form; an empty English field
shows the Vietnamese (see catalogue.bilingual).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .. import bilingual


class EnglishTitle(models.Model):
    """`title_en` beside Wagtail's title; `localized_title` and `document_title` pick per language."""

    title_en = models.CharField(
        _("English title"),
        max_length=255,
        blank=True,
        help_text=_("Shown on the English pages; left empty, they show the Vietnamese title."),
    )

    class Meta:
        abstract = True

    @property
    def localized_title(self):
        return bilingual.shown(self.title, self.title_en)

    @property
    def document_title(self):
        """The <title>: the English title on an English page, else the SEO title or the title."""
        if self.title_en and bilingual.in_english():
            return self.title_en
        return self.seo_title or self.title


class EnglishIntro(EnglishTitle):
    """An introduction in each language beside the two titles: the index pages and collections."""

    intro = RichTextField(_("introduction"), blank=True)
    intro_en = RichTextField(_("English introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("title_en"), FieldPanel("intro"), FieldPanel("intro_en")]

    class Meta:
        abstract = True

    @property
    def localized_intro(self):
        return localized(self.intro, self.intro_en)


def localized(vietnamese, english):
    """The rich text of the pair the active language reads (an introduction, a description)."""
    return bilingual.shown(vietnamese, english)
