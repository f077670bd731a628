from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("OCOP catalogue")

    def ready(self):
        # Models and what imports them load only once the app registry is ready.
        from wagtail.images import get_image_model
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy
        from wagtail.search import index

        # Reference data forgets itself when a province or product group changes; ids past
        # 64 bits match nothing instead of failing on SQLite; admin widgets read ids strictly.
        from . import admin_input, integer_lookups, lookups  # noqa: F401
        from .access import ProducerScopedImagePermissionPolicy, ProducerScopedPagePermissionPolicy

        # Before any wagtail_hooks module asks the registry, so every page listing,
        # chooser and explorer in the admin applies the producer scope.
        register_permission_policy(Page, ProducerScopedPagePermissionPolicy(Page))
        # Submitted ids and rich text that Wagtail's admin widgets would read unchecked.
        admin_input.apply()
        Image = get_image_model()
        # The image chooser narrows a search by ?tag=, which the search backend refuses with
        # a FilterFieldError (a 500) unless the tag's name is a filter field (Wagtail 8.0).
        tags = next(f for f in Image.search_fields if isinstance(f, index.RelatedFields) and f.field_name == "tags")
        if not any(isinstance(f, index.FilterField) and f.field_name == "name" for f in tags.fields):
            tags.fields.append(index.FilterField("name"))
        # exact_class: wagtail.images registers its own policy in a ready() that runs after this one.
        register_permission_policy(Image, ProducerScopedImagePermissionPolicy(Image), exact_class=True)

        from .filters import scope_page_filters

        scope_page_filters()

        # Every change to a page or a site makes each process read the page tree again.
        from . import page_tree

        page_tree.connect()

        # Every change that alters a public page purges the shared cache of its addresses.
        from . import purging

        purging.connect()
