"""The demand pages in the Wagtail admin: the agency's view of all demand, each producer's view
of their own listings, their downloads, and opening a sourcing lead."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency, producer_ids_for
from catalogue.params import plain_text

from ..shared import leads, spreadsheets
from ..shared.admin_pages import AdminPage
from . import figures
from .forms import AgencyPeriodForm, PeriodForm
from .recording import LANGUAGES


def _default_period():
    start, end = PeriodForm().period()
    return {"start": start, "end": end}


def _download(request, found, prefix):
    figure = found.get(request.GET.get("figure", ""))
    if not isinstance(figure, figures.Figure):
        return HttpResponseBadRequest(gettext("No such figure to download."), content_type="text/plain; charset=utf-8")
    extension = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    stamp = timezone.localtime().strftime("%Y%m%d")
    return spreadsheets.download(figure.rows(), f"{prefix}-{figure.key}-{stamp}", extension, figure.title)


class AgencyDemandView(AdminPage):
    agency_only = True
    page_title = _("Demand")
    header_icon = "view"
    template_name = "marketplace/admin/demand.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AgencyPeriodForm(self.request.GET or None, initial=_default_period())
        start, end = form.period()
        found = figures.agency_figures(start, end, form.dimension())
        filters = urlencode({"start": start.isoformat(), "end": end.isoformat(), "by": form.dimension()})
        context.update(
            form=form,
            start=start,
            end=end,
            filters=filters,
            figures=found,
            searches=[(found[f"top_{lang}"], found[f"zero_{lang}"]) for lang in ("vi", "en")],
            lead_actions=leads.actions(),
        )
        return context


class AgencyDemandExportView(AdminPage):
    agency_only = True

    def get(self, request):
        form = AgencyPeriodForm(request.GET or None)
        start, end = form.period()
        return _download(request, figures.agency_figures(start, end, form.dimension()), "demand")


class LeadView(AdminPage):
    """POST: open a sourcing request or a collection draft from a search, then go on editing it."""

    agency_only = True
    http_method_names = ["post"]

    def post(self, request):
        action = leads.action(request.POST.get("action", ""))
        query = plain_text(request.POST.get("query"), 200)
        language = request.POST.get("language", "")
        if action is None or not query or language not in LANGUAGES:
            return HttpResponseBadRequest(
                gettext("Choose what to open, for a search and a language."), content_type="text/plain; charset=utf-8"
            )
        return redirect(action.open_from(request.user, query, language))


def _own_producers(user):
    if is_agency(user):
        raise PermissionDenied  # the agency sees everything on the agency's page
    producer_ids = producer_ids_for(user)
    if not producer_ids:
        raise PermissionDenied
    return producer_ids


class ProducerDemandView(AdminPage):
    page_title = _("Your demand figures")
    header_icon = "view"
    template_name = "marketplace/admin/demand_producer.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        producer_ids = _own_producers(self.request.user)
        form = PeriodForm(self.request.GET or None, initial=_default_period())
        start, end = form.period()
        found, comparable = figures.producer_figures(producer_ids, start, end)
        context.update(
            form=form,
            start=start,
            end=end,
            filters=urlencode({"start": start.isoformat(), "end": end.isoformat()}),
            figures=found,
            comparable=comparable,
            min_peers=figures.MIN_PEERS,
        )
        return context


class ProducerDemandExportView(AdminPage):
    def get(self, request):
        producer_ids = _own_producers(request.user)
        form = PeriodForm(request.GET or None)
        start, end = form.period()
        found, _comparable = figures.producer_figures(producer_ids, start, end)
        return _download(request, found, "my-demand")
