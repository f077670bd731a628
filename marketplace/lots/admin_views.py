"""The lots' admin: Wagtail's model views, each reading lots through the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import DocumentsPanel, LotForm
from .models import Lot


class OwnLots:
    """Edit and delete find the lot among the user's own: another producer's lot is not found (404)."""

    def get_queryset(self):
        return Lot.objects.for_user(self.request.user)


class OwnLotsObject:
    """History and usage, whose own get_queryset lists log entries and references, find their lot so."""

    def get_base_object_queryset(self):
        return Lot.objects.for_user(self.request.user)


class LotIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Lot.objects.for_user(self.request.user).select_related("product")


class LotEditView(OwnLots, generic.EditView):
    pass


class LotDeleteView(OwnLots, generic.DeleteView):
    pass


class LotHistoryView(OwnLotsObject, history.HistoryView):
    pass


class LotUsageView(OwnLotsObject, usage.UsageView):
    pass


class LotViewSet(ModelViewSet):
    model = Lot
    # /admin/lots/; the namespace leaves "lots" to the public pages.
    url_prefix = "lots"
    url_namespace = "lot_admin"
    icon = "clipboard-list"
    menu_label = _("Production lots")
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = LotIndexView
    edit_view_class = LotEditView
    delete_view_class = LotDeleteView
    history_view_class = LotHistoryView
    usage_view_class = LotUsageView
    list_display = ["code", "product", "produced_on", "best_before"]
    search_fields = ["code", "product__title"]
    ordering = ["-produced_on", "-pk"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("product", widget=forms.Select), FieldPanel("code"), FieldPanel("gtin")],
                heading=_("Lot"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("produced_on"), FieldPanel("best_before")]),
                    FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit")]),
                ],
                heading=_("Dates and quantity"),
            ),
            MultiFieldPanel(
                [FieldPanel("site_name"), FieldPanel("site_address"), FieldPanel("site_gln")],
                heading=_("Processing site"),
            ),
            InlinePanel(
                "materials", heading=_("Raw materials and where they come from"), label=_("Raw material"), min_num=1
            ),
            InlinePanel("steps", heading=_("Production steps, in order"), label=_("Step"), min_num=1),
            DocumentsPanel(
                "documents",
                heading=_("Documents: test results, certificates"),
                label=_("Document"),
                panels=[FieldPanel("kind"), FieldPanel("title"), FieldPanel("upload")],
            ),
            FieldPanel("notes"),
        ],
        base_form_class=LotForm,
    )
