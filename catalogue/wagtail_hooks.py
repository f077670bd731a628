"""Admin viewsets: the catalogue menu for agency staff (and, scoped, for producers)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.views.pages.listing import IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .badge_admin import BadgeMenuItem, BadgeView
from .choosers import CertificationChooserViewSet, ProducerChooserViewSet
from .filters import CertificationFilterSet, ProductPageFilterSet
from .models import Category, Certification, GlossaryTerm, Producer, ProductPage, Province


class ProductIndexView(IndexView):
    def annotate_queryset(self, pages):
        # The listing shows each product's producer, province and category: one query each, not one per row.
        return super().annotate_queryset(pages).prefetch_related("producer", "province", "category")


class ProductPageListingViewSet(PageListingViewSet):
    model = ProductPage
    index_view_class = ProductIndexView
    icon = "tag"
    menu_label = _("Products")
    add_to_admin_menu = True
    menu_order = 100
    filterset_class = ProductPageFilterSet
    list_display = ["title", "producer", "province", "category", "live"]


# Producers are an indexed model: the listing searches Wagtail's index over the model's
# own search_fields. A `search_fields` list here would be passed to the backend as
# `fields=`, which the SQLite backend cannot answer ("no such column", wagtail/wagtail#10217).
class ProducerViewSet(SnippetViewSet):
    model = Producer
    # A producer account chooses among its own producers only (catalogue.access).
    chooser_viewset_class = ProducerChooserViewSet
    icon = "group"
    menu_label = _("Producers")
    list_display = ["name", "legal_form", "province", "registration_number"]
    list_filter = ["province", "legal_form"]


class CertificationIndexView(SnippetIndexView):
    def search_queryset(self, queryset):
        # As on /verify/ and in the record chooser (catalogue.choosers.RecordSearchFilterForm).
        return queryset.matching(self.search_query) if self.is_searching else queryset


class CertificationViewSet(SnippetViewSet):
    model = Certification
    index_view_class = CertificationIndexView
    chooser_viewset_class = CertificationChooserViewSet
    icon = "success"
    menu_label = _("Certification records")
    list_display = ["decision_number", "product_name", "stars", "signed_on", "expires_on", "get_status_display"]
    filterset_class = CertificationFilterSet
    # Searched as /verify/ searches (CertificationIndexView), not through Wagtail's index.
    ordering = ["-signed_on"]


class ProvinceViewSet(SnippetViewSet):
    model = Province
    icon = "site"
    menu_label = _("Provinces")
    list_display = ["code", "name", "era", "successor"]
    list_filter = ["era"]
    search_fields = ["name", "name_ascii"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "list-ul"
    menu_label = _("Product categories")
    list_display = ["code", "name", "name_en"]
    search_fields = ["name", "name_en"]


class GlossaryTermViewSet(SnippetViewSet):
    """The agency's additions to the OCOP glossary file (catalogue/glossary/); producers have
    no permission on them (marketplace.accounts.roles grants them to the agency only)."""

    model = GlossaryTerm
    icon = "doc-full"
    menu_label = _("Glossary terms")
    list_display = ["vietnamese", "english", "synonyms", "names_only", "updated_at"]
    list_filter = ["names_only"]
    search_fields = ["vietnamese", "english", "synonyms"]


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "folder-open-inverse"
    menu_order = 110
    items = (ProducerViewSet, CertificationViewSet, ProvinceViewSet, CategoryViewSet, GlossaryTermViewSet)


register_snippet(CatalogueGroup)


@hooks.register("register_admin_viewset")
def register_product_listing():
    return ProductPageListingViewSet("products")


@hooks.register("register_admin_urls")
def register_badge_view():
    return [path("catalogue/badge/<int:page_id>/", BadgeView.as_view(), name="catalogue_product_badge")]


@hooks.register("register_page_header_buttons")
def badge_button(page, user, view_name, next_url=None):
    # In the editor's header menu, next to History: where a producer looks for their page's tools.
    yield BadgeMenuItem(page=page, priority=66)
