"""The inquiry inbox in the Wagtail admin: producers see theirs, the agency sees and routes everything."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency
from catalogue.models import Producer
from catalogue.params import plain_text, record_id

from ..outbox import sending
from ..shared import spreadsheets
from ..shared.admin_pages import AdminPage
from . import export, routing, services
from .access import acting_producer, inquiries_for
from .forms import ReplyForm
from .models import Inquiry, InquiryMessage, InquiryNotification

TABS = [
    ("new", _("New")),
    ("replied", _("Replied")),
    ("closed", _("Closed")),
    ("all", _("All")),
]


def filtered(request, inquiries):
    tab = request.GET.get("status", "new")
    if tab == "routing" and is_agency(request.user):
        inquiries = inquiries.awaiting_routing()
    elif tab == "escalated" and is_agency(request.user):
        inquiries = inquiries.filter(escalated_at__isnull=False)
    elif tab in Inquiry.Status.values:
        inquiries = inquiries.filter(status=tab)
    elif tab != "all":
        tab = "new"
        inquiries = inquiries.filter(status=tab)
    q = plain_text(request.GET.get("q"), 100)
    if q:
        match = Q(name__icontains=q) | Q(company__icontains=q) | Q(email__icontains=q) | Q(product_title__icontains=q)
        match |= Q(subject__icontains=q)
        number = record_id(q.upper().removeprefix("INQ-").split("-")[-1])
        if number is not None:
            match |= Q(pk=number)
        inquiries = inquiries.filter(match)
    return tab, q, inquiries


class InquiryListView(AdminPage):
    page_title = _("Inquiries")
    header_icon = "mail"
    template_name = "marketplace/admin/inquiries.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = inquiries_for(user)
        tab, q, inquiries = filtered(self.request, scope)
        counts = status_counts(scope)
        tabs = [(key, label, counts.get(key, counts["all"] if key == "all" else 0)) for key, label in TABS]
        agency = is_agency(user)
        if agency:
            tabs.insert(0, ("routing", _("To route"), scope.awaiting_routing().count()))
            tabs.insert(1, ("escalated", _("Escalated"), scope.filter(escalated_at__isnull=False).count()))
        page = Paginator(inquiries.prefetch_related("recipients"), 50).get_page(self.request.GET.get("page"))
        context.update(
            tabs=tabs,
            tab=tab,
            q=q,
            page=page,
            is_agency=agency,
            failed_count=InquiryNotification.objects.filter(gave_up_at__isnull=False, sent_at__isnull=True).count()
            if agency
            else 0,
        )
        return context


def status_counts(inquiries):
    counts = {status: inquiries.filter(status=status).count() for status in Inquiry.Status.values}
    counts["all"] = sum(counts.values())
    return counts


class InquiryDetailView(AdminPage):
    header_icon = "mail"
    parent_crumb = ("marketplace_inquiries", _("Inquiries"))
    template_name = "marketplace/admin/inquiry_detail.html"

    def get_inquiry(self):
        # Another producer's inquiry answers 404, exactly like one that does not exist.
        return get_object_or_404(inquiries_for(self.request.user), pk=self.kwargs["pk"])

    def get_page_title(self):
        return self.inquiry.reference

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.inquiry = self.get_inquiry()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = is_agency(self.request.user)
        context.update(
            inquiry=self.inquiry,
            thread_messages=self.inquiry.messages.select_related("producer", "user"),
            recipients=self.inquiry.recipients.all(),
            form=kwargs.get("form") or ReplyForm(),
            is_agency=agency,
            notifications=self.inquiry.notifications.all() if agency else [],
            statuses=Inquiry.Status.choices,
            follow_ups=self.inquiry.follow_ups.select_related("user"),
            on_behalf_of=self.on_behalf_of() if agency else None,
        )
        return context

    def on_behalf_of(self):
        """The producer an agency answer speaks for: the one an escalated inquiry waits on."""
        if not self.inquiry.escalated_at:
            return None
        recipients = list(self.inquiry.recipients.all()[:2])
        return recipients[0] if len(recipients) == 1 else None

    def post(self, request, pk):
        inquiry = self.inquiry
        if inquiry.erased_at:
            messages.error(request, gettext("This inquiry's personal data was erased; it cannot be answered."))
            return redirect("marketplace_inquiry", pk)
        action = request.POST.get("action")
        if action == "status":
            status = request.POST.get("status")
            if status not in Inquiry.Status.values:
                messages.error(request, gettext("Unknown status."))
            else:
                services.set_status(inquiry, status)
                messages.success(
                    request,
                    gettext("%(reference)s is now “%(status)s”.")
                    % {"reference": inquiry.reference, "status": inquiry.get_status_display()},
                )
            return redirect("marketplace_inquiry", pk)
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if is_agency(request.user):
            producer, author = self.on_behalf_of(), InquiryMessage.Author.AGENCY
        else:
            producer, author = acting_producer(request.user, inquiry), InquiryMessage.Author.PRODUCER
        services.reply(inquiry, form.cleaned_data["body"], request.user, producer=producer, author=author)
        messages.success(request, gettext("Your answer was sent to the buyer and kept on the thread."))
        return redirect("marketplace_inquiry", pk)


class ProducerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search producers"), required=False, max_length=100)


class InquiryRouteView(InquiryDetailView):
    """Route a sourcing request (or reassign any inquiry) to the producers the agency picks."""

    agency_only = True
    template_name = "marketplace/admin/inquiry_route.html"

    def get_page_title(self):
        return gettext("Route %(reference)s") % {"reference": self.inquiry.reference}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposals, notes, total = routing.propose(self.inquiry)
        current = list(self.inquiry.recipients.all())
        q = plain_text(self.request.GET.get("q"), 100)
        extra = Producer.objects.filter(Q(name__icontains=q) | Q(slug__icontains=q))[:20] if q else []
        context.update(
            proposals=proposals,
            notes=notes,
            hit_total=total,
            current=current,
            q=q,
            extra=extra,
            current_ids={p.pk for p in current},
            search_params=routing.search_params(self.inquiry),
        )
        return context

    def post(self, request, pk):
        ids = [pk for pk in map(record_id, request.POST.getlist("producer")) if pk is not None]
        producers = list(Producer.objects.filter(pk__in=ids))
        if not producers:
            messages.error(request, gettext("Pick at least one producer."))
            return redirect("marketplace_inquiry_route", pk)
        if self.inquiry.erased_at:
            messages.error(request, gettext("This inquiry's personal data was erased; it cannot be routed."))
            return redirect("marketplace_inquiry", pk)
        services.forward(self.inquiry, producers, user=request.user)
        messages.success(
            request,
            gettext("%(reference)s forwarded to %(producers)s.")
            % {"reference": self.inquiry.reference, "producers": ", ".join(p.name for p in producers)},
        )
        return redirect("marketplace_inquiry", pk)


class InquiryExportView(AdminPage):
    agency_only = True

    def get(self, request):
        _tab, _q, inquiries = filtered(request, inquiries_for(request.user))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        extension = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        return spreadsheets.download(export.rows(inquiries), f"inquiries-{stamp}", extension, _("Inquiries"))


class NotificationListView(AdminPage):
    """Emails that finally failed (and those still waiting), with a way to resend."""

    agency_only = True
    page_title = _("Inquiry emails")
    header_icon = "warning"
    template_name = "marketplace/admin/inquiry_notifications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unsent = InquiryNotification.objects.filter(sent_at__isnull=True).exclude(recipient="")
        context["failed"] = unsent.filter(gave_up_at__isnull=False).select_related("inquiry")[:200]
        context["pending"] = unsent.filter(gave_up_at__isnull=True).select_related("inquiry")[:200]
        return context

    def post(self, request):
        notification = InquiryNotification.objects.filter(pk=record_id(request.POST.get("notification")) or 0).first()
        if notification is None or notification.sent_at:
            raise PermissionDenied
        sending.resend(notification)
        notification.refresh_from_db()
        if notification.sent_at:
            messages.success(request, gettext("Sent to %(email)s.") % {"email": notification.recipient})
        else:
            messages.warning(
                request,
                gettext("Still failing (%(error)s); it will be tried again.") % {"error": notification.last_error},
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("marketplace_inquiry_notifications")
        return redirect(target)
