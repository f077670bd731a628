"""The admin page where a producer copies their product's badge (catalogue/badges.py).

Reached from the product page editor's header menu ("Badge"); only the producer who owns
the product and the agency see it, as every admin URL naming a page
(catalogue.middleware.AdminScopeMiddleware checks `page_id` too).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import badges
from .access import can_manage_page
from .models import ProductPage


class BadgeView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "success"
    template_name = "catalogue/admin/badge.html"

    def dispatch(self, request, page_id):
        self.product = get_object_or_404(ProductPage, pk=page_id)
        if not can_manage_page(request.user, self.product):
            raise Http404(gettext("No such product"))
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return gettext("Badge: %(product)s") % {"product": self.product.title}

    def get_breadcrumbs_items(self):
        edit = {"url": reverse("wagtailadmin_pages:edit", args=[self.product.pk]), "label": self.product.title}
        return [*self.breadcrumbs_items, edit, {"url": "", "label": gettext("Badge")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pk = self.product.pk
        record = badges.record_for(self.product)
        context.update(
            product=self.product,
            record=record,
            snippets=[
                (gettext("Vietnamese"), badges.snippet(self.product, "vi")),
                (gettext("English"), badges.snippet(self.product, "en")),
            ],
            previews=[reverse("badges:product", args=[pk]) + f"?lang={code}" for code in ("vi", "en")],
            qr_svg=reverse("badges:product-qr-svg", args=[pk]),
            qr_png=reverse("badges:product-qr-png", args=[pk]),
            minutes=badges.MAX_AGE // 60,
        )
        return context


class BadgeMenuItem(PageMenuItem):
    """The "Badge" entry of a product page's header menu, for those who may manage the page."""

    label = gettext_lazy("Badge")
    icon_name = "success"
    url_name = "catalogue_product_badge"

    def is_shown(self, user):
        return self.page.specific_class is ProductPage and can_manage_page(user, self.page)
