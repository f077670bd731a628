"""Producers ("chủ thể"): the legal subjects that hold OCOP products."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from .. import bilingual
from ..choices import ChoiceLabels


class Producer(ChoiceLabels, index.Indexed, models.Model):
    class LegalForm(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise (doanh nghiệp)")
        COOPERATIVE = "cooperative", _("Cooperative (hợp tác xã)")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group (tổ hợp tác)")
        HOUSEHOLD = "household", _("Registered household business (hộ kinh doanh)")

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    registration_number = models.CharField(
        _("registration number"),
        max_length=64,
        blank=True,
        help_text=_("Business or cooperative registration number."),
    )
    province = models.ForeignKey(
        "catalogue.Province",
        on_delete=models.PROTECT,
        related_name="producers",
        limit_choices_to={"era": "current"},
        verbose_name=_("province"),
        help_text=_("Current province (after 1 July 2025)."),
    )
    commune = models.CharField(_("commune or ward"), max_length=128, blank=True)
    address_line = models.CharField(_("street address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("In Vietnamese"))
    description_en = models.TextField(_("description (English)"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("legal_form"), FieldPanel("registration_number")]),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel(
            [FieldPanel("province"), FieldPanel("commune"), FieldPanel("address_line")],
            heading=_("Address"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("website"),
            ],
            heading=_("Contacts"),
        ),
        FieldPanel("description"),
        FieldPanel("description_en"),
        FieldPanel("logo"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("registration_number"),
        index.AutocompleteField("registration_number"),
        # The admin chooser narrows to the producers a user acts for (catalogue.access) before searching.
        index.FilterField("id"),
        index.FilterField("province"),
        index.FilterField("legal_form"),
    ]

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:producer", args=[self.slug])

    @property
    def address(self):
        parts = [self.address_line, self.commune, self.province.name if self.province_id else ""]
        return ", ".join(p for p in parts if p)

    @property
    def localized_description(self):
        """The description in the active language, or the one the producer wrote."""
        return bilingual.shown(self.description, self.description_en)
