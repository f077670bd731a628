"""Exhibiting and meetings in the Wagtail admin: producers apply and answer buyers, the agency decides."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency, producer_ids_for, producers_for
from catalogue.params import record_id

from ..shared.admin_pages import AdminPage
from . import matching, services
from .access import exhibitors_for, meetings_for
from .forms import ApplyForm, DecideForm, MeetingDecisionForm, slot_label
from .models import Exhibitor, FairPage, MeetingRequest


def _tab(request, choices, default):
    tab = request.GET.get("status", default)
    return tab if tab in [*choices, "all"] else default


class ExhibitorListView(AdminPage):
    page_title = _("Fairs: exhibitors")
    header_icon = "date"
    template_name = "marketplace/admin/fair_exhibitors.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (is_agency(request.user) or producer_ids_for(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        scope = exhibitors_for(user).select_related("fair", "producer", "zone")
        agency = is_agency(user)
        default = "applied" if agency else "all"
        tab = _tab(self.request, Exhibitor.Status.values, default)
        fair_id = self.request.GET.get("fair", "")
        listed = scope if tab == "all" else scope.filter(status=tab)
        if (fair_pk := record_id(fair_id)) is not None:
            listed = listed.filter(fair_id=fair_pk)
        counts = {s: scope.filter(status=s).count() for s in Exhibitor.Status.values}
        tabs = [(value, label, counts[value]) for value, label in Exhibitor.Status.choices]
        tabs.append(("all", _("All"), sum(counts.values())))
        open_fairs = FairPage.objects.live().filter(applications_open=True, ends_on__gte=timezone.localdate())
        context.update(
            tabs=tabs,
            tab=tab,
            fair_id=fair_id,
            page=Paginator(listed.order_by("fair__starts_on", "booth", "producer__name"), 50).get_page(
                self.request.GET.get("page")
            ),
            open_fairs=open_fairs.order_by("starts_on"),
            fairs=FairPage.objects.order_by("-starts_on"),
            is_agency=agency,
        )
        return context


class ApplyView(AdminPage):
    header_icon = "date"
    parent_crumb = ("marketplace_fair_exhibitors", _("Fairs: exhibitors"))
    template_name = "marketplace/admin/fair_apply.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.fair = get_object_or_404(FairPage.objects.live(), pk=kwargs["fair_id"])
            if not (is_agency(request.user) or producer_ids_for(request.user)):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Apply to exhibit at %(fair)s") % {"fair": self.fair.title}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            fair=self.fair,
            form=kwargs.get("form") or self.form(),
            choose_producer_first=is_agency(self.request.user) and self.chosen_producer() is None,
        )
        return context

    def chosen_producer(self):
        """The producer picked in the first step (?producer=), among those the user acts for."""
        value = self.request.POST.get("producer") or self.request.GET.get("producer") or ""
        pk = record_id(value)
        if pk is None:
            return None
        return producers_for(self.request.user).filter(pk=pk).first()

    def form(self, data=None):
        return ApplyForm(data, user=self.request.user, fair=self.fair, producer=self.chosen_producer())

    def post(self, request, fair_id):
        if not (self.fair.applications_open and self.fair.is_upcoming()):
            messages.error(request, gettext("This fair takes no applications any more."))
            return redirect("marketplace_fair_exhibitors")
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        exhibitor = services.apply(
            self.fair,
            form.cleaned_data["producer"],
            form.cleaned_data["products"],
            request.user,
            form.cleaned_data["message"],
        )
        messages.success(request, gettext("Application sent: the agency will accept or decline it."))
        return redirect("marketplace_fair_exhibitor", exhibitor.pk)


class ExhibitorDetailView(AdminPage):
    header_icon = "date"
    parent_crumb = ("marketplace_fair_exhibitors", _("Fairs: exhibitors"))
    template_name = "marketplace/admin/fair_exhibitor.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Another producer's application answers 404, exactly like one that does not exist.
            self.exhibitor = get_object_or_404(
                exhibitors_for(request.user).select_related("fair", "producer", "zone"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.exhibitor.producer.name} · {self.exhibitor.fair.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = is_agency(self.request.user)
        context.update(
            exhibitor=self.exhibitor,
            products=self.exhibitor.products.all(),
            form=(kwargs.get("form") or DecideForm(instance=self.exhibitor)) if agency else None,
            is_agency=agency,
            meetings=self.exhibitor.meetings.order_by("starts_at"),
        )
        return context

    def post(self, request, pk):
        if not is_agency(request.user):
            raise PermissionDenied
        form = DecideForm(request.POST, instance=self.exhibitor)
        if form.is_valid():
            try:
                services.decide_exhibitor(form, request.user)
            except services.BoothTaken as taken:
                form.add_error("booth", gettext("Booth %(booth)s is already assigned in this fair.") % {"booth": taken})
            else:
                messages.success(request, gettext("Decision saved."))
                return redirect("marketplace_fair_exhibitor", pk)
        self.exhibitor.refresh_from_db()
        return self.render_to_response(self.get_context_data(form=form))


class MeetingListView(AdminPage):
    page_title = _("Fairs: meeting requests")
    header_icon = "calendar"
    template_name = "marketplace/admin/fair_meetings.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (is_agency(request.user) or producer_ids_for(request.user)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = meetings_for(self.request.user).select_related("exhibitor__fair", "exhibitor__producer")
        agency = is_agency(self.request.user)
        escalated = scope.filter(status=MeetingRequest.Status.REQUESTED, escalated_at__isnull=False)
        tab = _tab(self.request, [*MeetingRequest.Status.values, *(["escalated"] if agency else [])], "requested")
        counts = {s: scope.filter(status=s).count() for s in MeetingRequest.Status.values}
        tabs = [(value, label, counts[value]) for value, label in MeetingRequest.Status.choices]
        tabs.append(("all", _("All"), sum(counts.values())))
        if agency:
            # Unanswered for four working days: the agency answers for the exhibitor or reassigns.
            tabs.insert(0, ("escalated", _("Escalated"), escalated.count()))
        listed = (
            {"escalated": escalated, "all": scope}[tab] if tab in ("escalated", "all") else scope.filter(status=tab)
        )
        page = Paginator(listed.order_by("starts_at", "pk"), 50).get_page(self.request.GET.get("page"))
        for meeting in page:
            meeting.slot = slot_label(meeting.starts_at, meeting.ends_at)
        context.update(tabs=tabs, tab=tab, page=page)
        return context


class MeetingDetailView(AdminPage):
    header_icon = "calendar"
    parent_crumb = ("marketplace_fair_meetings", _("Fairs: meeting requests"))
    template_name = "marketplace/admin/fair_meeting.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.meeting = get_object_or_404(
                meetings_for(request.user).select_related("exhibitor__fair", "exhibitor__producer", "exhibitor__zone"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.meeting.reference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agency = is_agency(self.request.user)
        can_decide = self.meeting.status == MeetingRequest.Status.REQUESTED and not self.meeting.erased_at
        context.update(
            meeting=self.meeting,
            slot=slot_label(self.meeting.starts_at, self.meeting.ends_at),
            form=kwargs.get("form") or MeetingDecisionForm(),
            can_decide=can_decide,
            can_reassign=agency and can_decide,
            is_agency=agency,
            notifications=self.meeting.notifications.all() if agency else [],
            follow_ups=self.meeting.follow_ups.select_related("user"),
        )
        return context

    def post(self, request, pk):
        form = MeetingDecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        accept = form.cleaned_data["decision"] == "accept"
        # The agency's answer is always for the exhibitor, whose meeting it is: the buyer is told so.
        on_behalf = is_agency(request.user)
        if services.decide_meeting(self.meeting, accept, request.user, form.cleaned_data["note"], on_behalf=on_behalf):
            if accept:
                messages.success(
                    request, gettext("Meeting accepted: the buyer and you get the calendar file by email.")
                )
            else:
                messages.success(request, gettext("Meeting declined: the buyer is told by email."))
        else:
            messages.error(request, gettext("This request was already answered."))
        return redirect("marketplace_meeting", pk)


class MeetingReassignView(MeetingDetailView):
    """The agency passes a waiting request to another exhibitor of the fair whose products match."""

    agency_only = True
    template_name = "marketplace/admin/fair_meeting_reassign.html"

    def get_page_title(self):
        return gettext("Reassign %(reference)s") % {"reference": self.meeting.reference}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alternatives"] = matching.alternatives(self.meeting) if context["can_reassign"] else []
        return context

    def post(self, request, pk):
        chosen = record_id(request.POST.get("exhibitor"))
        # Only an exhibitor the matching proposes: of the same fair, with matching products, free then.
        offered = {a.exhibitor.pk: a.exhibitor for a in matching.alternatives(self.meeting)}
        exhibitor = offered.get(chosen)
        if exhibitor is None:
            messages.error(request, gettext("Pick one of the exhibitors proposed."))
            return redirect("marketplace_meeting_reassign", pk)
        try:
            services.reassign(self.meeting, exhibitor, request.user)
        except services.SlotTaken:
            messages.error(
                request,
                gettext("%(producer)s is no longer free at that time.") % {"producer": exhibitor.producer.name},
            )
            return redirect("marketplace_meeting_reassign", pk)
        except ValueError:
            messages.error(
                request,
                gettext("This request no longer waits, or that exhibitor is not another exhibitor of the fair."),
            )
            return redirect("marketplace_meeting", pk)
        messages.success(
            request,
            gettext("%(reference)s passed to %(producer)s; the buyer is told by email.")
            % {"reference": self.meeting.reference, "producer": exhibitor.producer.name},
        )
        return redirect("marketplace_meeting", pk)
