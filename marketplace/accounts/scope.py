"""The producer scope where Wagtail's admin counts or lists on its own: dashboard pages, admin API images.

The permission policy (catalogue/apps.py) and the explorer hooks (wagtail_hooks) cover the rest.
"""

from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page

from catalogue.access import images_for, scope_page_queryset


class OwnPagesSummaryItem(PagesSummaryItem):
    """Wagtail counts every page under the user's explorable root, other producers' too."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if context["root_page"] is not None:
            pages = Page.objects.descendant_of(context["root_page"], inclusive=True)
            context["total_pages"] = scope_page_queryset(self.request.user, pages).count()
        return context


def own_summary_item(item):
    return OwnPagesSummaryItem(item.request) if type(item) is PagesSummaryItem else item


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """The admin API's image endpoint does not ask the permission policy: a producer lists its own images."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=images_for(self.request.user).values("pk"))
