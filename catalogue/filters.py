"""Admin list filters that need more than a model field."""

import django_filters

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from .models import Certification, Province


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
