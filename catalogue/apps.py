from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "OCOP catalogue"

    def ready(self):
        # Reference data forgets itself when a province or product group changes.
        from . import lookups  # noqa: F401
