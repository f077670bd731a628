"""Producer accounts in the admin: the agency invites and deactivates them; a producer edits its profile.

Deactivating keeps the account's content; the agency edits producers through the Producers snippet.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from catalogue.access import producers_for, products_for
from catalogue.models import ProducerMembership

from ..shared.admin_pages import AdminPage
from .forms import InviteProducerForm, ProducerProfileForm
from .invitations import invite_producer


class ProducerAccountsView(AdminPage):
    agency_only = True
    page_title = _("Producer accounts")
    header_icon = "user"
    template_name = "marketplace/admin/producer_accounts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or InviteProducerForm()
        context["memberships"] = ProducerMembership.objects.select_related("user", "producer", "invited_by")
        return context

    def post(self, request):
        form = InviteProducerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        invite_producer(data["email"], data["producer"], request.user, data["first_name"], data["last_name"])
        messages.success(
            request,
            gettext("Invitation sent to %(email)s for %(producer)s.")
            % {"email": data["email"], "producer": data["producer"].name},
        )
        return redirect("marketplace_producer_accounts")


class SetAccountActiveView(AdminPage):
    """Deactivating blocks the login; pages, records and history written by the account stay."""

    agency_only = True
    http_method_names = ["post"]

    def post(self, request, user_id):
        user = get_object_or_404(get_user_model(), pk=user_id, producer_memberships__isnull=False, is_superuser=False)
        user.is_active = request.POST.get("active") == "1"
        user.save(update_fields=["is_active"])
        state = "reactivated" if user.is_active else "deactivated"
        log(instance=user, action="wagtail.edit", user=request.user, title=f"Account {user.email} {state}")
        done = gettext("%(email)s reactivated.") if user.is_active else gettext("%(email)s deactivated.")
        messages.success(request, done % {"email": user.email})
        return redirect("marketplace_producer_accounts")


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
