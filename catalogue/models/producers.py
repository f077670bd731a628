"""Producers ("chủ thể"): the legal subjects that hold OCOP products."""

from django.db import models
from django.urls import reverse

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index


class Producer(index.Indexed, models.Model):
    class LegalForm(models.TextChoices):
        ENTERPRISE = "enterprise", "Enterprise (doanh nghiệp)"
        COOPERATIVE = "cooperative", "Cooperative (hợp tác xã)"
        COOPERATIVE_GROUP = "cooperative_group", "Cooperative group (tổ hợp tác)"
        HOUSEHOLD = "household", "Registered household business (hộ kinh doanh)"

    name = models.CharField(max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    legal_form = models.CharField(max_length=20, choices=LegalForm.choices)
    registration_number = models.CharField(
        max_length=64, blank=True, help_text="Business or cooperative registration number."
    )
    province = models.ForeignKey(
        "catalogue.Province",
        on_delete=models.PROTECT,
        related_name="producers",
        limit_choices_to={"era": "current"},
        help_text="Current province (after 1 July 2025).",
    )
    commune = models.CharField("commune or ward", max_length=128, blank=True)
    address_line = models.CharField("street address", max_length=255, blank=True)
    contact_name = models.CharField(max_length=128, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True, help_text="Vietnamese")
    description_en = models.TextField("description (English)", blank=True)
    logo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("legal_form"), FieldPanel("registration_number")]),
            ],
            heading="Identity",
        ),
        MultiFieldPanel(
            [FieldPanel("province"), FieldPanel("commune"), FieldPanel("address_line")],
            heading="Address",
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("website"),
            ],
            heading="Contacts",
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
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:producer", args=[self.slug])

    @property
    def address(self):
        parts = [self.address_line, self.commune, self.province.name if self.province_id else ""]
        return ", ".join(p for p in parts if p)
