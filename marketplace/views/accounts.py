"""The agency invites producer accounts and deactivates them (content stays)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from catalogue.access import PRODUCERS_GROUP
from catalogue.models import ProducerMembership

from ..forms import InviteProducerForm
from ..shared.admin_pages import AdminPage
from ..tasks import send_producer_invitation


def invite_producer(email, producer, invited_by=None, first_name="", last_name=""):
    """Create (or reuse) the account, link it to the producer and enqueue the invitation email."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=email, email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()  # the producer chooses one through the link
            user.save()
        user.groups.add(Group.objects.get(name=PRODUCERS_GROUP))
        membership, _ = ProducerMembership.objects.get_or_create(
            user=user, producer=producer, defaults={"invited_by": invited_by}
        )
        log(instance=user, action="wagtail.create", user=invited_by, title=f"Invited {email} for {producer.name}")
    send_producer_invitation.enqueue(user.pk, producer.pk, invited_by.pk if invited_by else None)
    return membership


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
