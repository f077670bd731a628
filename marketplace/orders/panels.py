"""Dashboard panel: sample orders waiting for payment and waiting to be shipped, in the user's scope."""

from django.urls import reverse

from wagtail.admin.ui.components import Component

from catalogue.access import is_agency, producer_ids_for

from .admin_views import orders_for
from .models import OrderState


class SampleOrderPanel(Component):
    name = "sample_orders"
    template_name = "marketplace/admin/sample_order_panel.html"
    order = 145

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        scope = orders_for(user)
        return {
            "shown": is_agency(user) or bool(producer_ids_for(user)),
            "pending": scope.filter(state=OrderState.PENDING).count(),
            "paid": scope.filter(state=OrderState.PAID).count(),
            "shipped": scope.filter(state=OrderState.SHIPPED).count(),
            "list_url": reverse("marketplace_sample_orders"),
        }
