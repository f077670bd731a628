"""Admin list filters that need more than a model field."""

import django_filters

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.pages.listing import PageFilterSet

from .models import Certification, ProductPage, Province


class CertificationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=Certification.Status.choices, method="filter_status", empty_label="Any"
    )
    expires_on = django_filters.DateFromToRangeFilter(label="Expires between", widget=DateRangePickerWidget)
    province = django_filters.ModelChoiceFilter(
        label="Province (current)",
        field_name="product__province",
        queryset=Province.objects.current(),
    )

    class Meta:
        model = Certification
        fields = ["stars", "recognition_level", "recognition_type", "potential_five_star"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset


class ProductPageFilterSet(PageFilterSet):
    """Product listing filters: where it comes from, what it is, and its current stars."""

    stars = django_filters.ChoiceFilter(
        label="Current OCOP stars",
        choices=[(str(n), f"{n}★") for n in range(1, 6)] + [("none", "No record in force")],
        method="filter_stars",
        empty_label="Any",
    )
    record_status = django_filters.ChoiceFilter(
        label="Listed publicly",
        choices=[("listed", "Listed (visible to buyers)"), ("hidden", "Hidden")],
        method="filter_listed",
        empty_label="Any",
    )

    class Meta:
        model = ProductPage
        fields = ["producer", "province", "category", "live"]

    def filter_stars(self, queryset, name, value):
        annotated = queryset.model.objects.with_current_stars().filter(pk__in=queryset.values("pk"))
        if value == "none":
            return queryset.filter(pk__in=annotated.filter(current_stars__isnull=True).values("pk"))
        return queryset.filter(pk__in=annotated.filter(current_stars=int(value)).values("pk"))

    def filter_listed(self, queryset, name, value):
        visible = ProductPage.objects.visible().values("pk")
        return queryset.filter(pk__in=visible) if value == "listed" else queryset.exclude(pk__in=visible)
