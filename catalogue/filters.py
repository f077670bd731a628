"""Admin list filters that need more than a model field."""

import django_filters

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.models import Page, PageLogEntry

from .access import producers_for, scope_page_queryset
from .models import Certification, ProductPage, Province


def page_owners_for(request):
    """The "Owner" choices: people who own pages the user may see, not every owner of a page."""
    pages = scope_page_queryset(request.user, Page.objects.all())
    return get_user_model().objects.filter(pk__in=pages.order_by().values("owner_id"))


def page_editors_for(request):
    """The "Edited by" choices: people who edited pages the user may see."""
    pages = scope_page_queryset(request.user, Page.objects.all())
    edits = PageLogEntry.objects.filter(action="wagtail.edit", page__in=pages.values("pk"))
    return get_user_model().objects.filter(pk__in=edits.order_by().values("user_id"))


def scope_page_filters():
    """Scope the user choices of every Wagtail page listing (explorer, page type use, products).

    Wagtail's PageFilterSet lists every page owner and editor in the site; its subclasses
    share these filter objects, so setting their querysets once reaches every listing.
    Called from CatalogueConfig.ready().
    """
    PageFilterSet.declared_filters["owner"].queryset = page_owners_for
    PageFilterSet.declared_filters["edited_by"].queryset = page_editors_for


class CertificationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Certification.Status.choices, method="filter_status", empty_label=_("Any")
    )
    expires_on = django_filters.DateFromToRangeFilter(label=_("Expires between"), widget=DateRangePickerWidget)
    province = django_filters.ModelChoiceFilter(
        label=_("Province (current)"),
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
        label=_("Current OCOP stars"),
        choices=[(str(n), f"{n}★") for n in range(1, 6)] + [("none", _("No record in force"))],
        method="filter_stars",
        empty_label=_("Any"),
    )
    # A producer filters among the producers it acts for; the agency among all.
    producer = django_filters.ModelChoiceFilter(
        label=_("Producer"), queryset=lambda request: producers_for(request.user) if request else producers_for(None)
    )
    # The agency's worklist of products buyers see under a name a person did not confirm.
    english_name = django_filters.ChoiceFilter(
        label=_("English name"),
        choices=[("confirmed", _("Written by a person")), ("missing", _("Not confirmed (glossary or none)"))],
        method="filter_english_name",
        empty_label=_("Any"),
    )
    record_status = django_filters.ChoiceFilter(
        label=_("Listed publicly"),
        choices=[("listed", _("Listed (visible to buyers)")), ("hidden", _("Hidden"))],
        method="filter_listed",
        empty_label=_("Any"),
    )

    class Meta:
        model = ProductPage
        fields = ["producer", "province", "category", "live"]

    def filter_english_name(self, queryset, name, value):
        if value == "confirmed":
            return queryset.exclude(name_en="")
        if value == "missing":
            return queryset.filter(name_en="")
        return queryset

    def filter_stars(self, queryset, name, value):
        annotated = queryset.model.objects.with_current_stars().filter(pk__in=queryset.values("pk"))
        if value == "none":
            return queryset.filter(pk__in=annotated.filter(current_stars__isnull=True).values("pk"))
        return queryset.filter(pk__in=annotated.filter(current_stars=int(value)).values("pk"))

    def filter_listed(self, queryset, name, value):
        visible = ProductPage.objects.visible().values("pk")
        return queryset.filter(pk__in=visible) if value == "listed" else queryset.exclude(pk__in=visible)
