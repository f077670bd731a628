"""A producer keeps its own profile current (the agency uses the Producers snippet)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from catalogue.access import producers_for, products_for

from ..forms import ProducerProfileForm
from ..shared.admin_pages import AdminPage


class MyProducersView(AdminPage):
    page_title = _("My producer")
    header_icon = "group"
    template_name = "marketplace/admin/my_producers.html"

    def get(self, request):
        producers = list(producers_for(request.user).filter(memberships__user=request.user))
        if len(producers) == 1:
            return redirect("marketplace_producer_profile", pk=producers[0].pk)
        return self.render_to_response(self.get_context_data(producers=producers))


class ProducerProfileView(AdminPage):
    header_icon = "group"
    template_name = "marketplace/admin/producer_profile.html"

    def get_page_title(self):
        return self.producer.name

    def dispatch(self, request, pk, *args, **kwargs):
        # Another producer's profile answers 404: the id tells nothing.
        self.producer = get_object_or_404(producers_for(request.user), pk=pk)
        return super().dispatch(request, pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["producer"] = self.producer
        context["form"] = kwargs.get("form") or ProducerProfileForm(instance=self.producer)
        context["products"] = products_for(self.request.user).filter(producer=self.producer).order_by("title")
        context["records"] = self.producer.certifications.with_supersession().order_by("-signed_on")
        return context

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data())

    def post(self, request, pk):
        form = ProducerProfileForm(request.POST, instance=self.producer)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        form.save()
        log(instance=self.producer, action="wagtail.edit", user=request.user)
        messages.success(request, gettext("Profile saved."))
        return redirect("marketplace_producer_profile", pk=self.producer.pk)
