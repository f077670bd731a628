from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Marketplace"

    def ready(self):
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from .permissions import ProducerScopedPagePermissionPolicy

        # Before any wagtail_hooks module asks the registry, so every page listing,
        # chooser and explorer in the admin applies the producer scope.
        register_permission_policy(Page, ProducerScopedPagePermissionPolicy(Page))
