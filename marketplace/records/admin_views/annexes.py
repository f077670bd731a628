"""Enter a decision, upload its annex, read the dry run, confirm; complete held rows: agency only."""

import datetime
import uuid

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from catalogue.access import is_agency
from catalogue.params import record_id

from ...shared import spreadsheets
from ...shared.admin_pages import AdminPage
from ..annexes.columns import LABELS
from ..annexes.errors import FileError
from ..annexes.importer import DecisionImporter, import_decisions
from ..annexes.rows import Decision
from ..annexes.values import parse_level
from ..forms import DecisionAnnexForm, HeldRowForm
from ..models import DecisionBatch, HeldRow

SALT = "marketplace.decision-import"
# A preview stays confirmable for a day.
MAX_AGE = 24 * 3600


def decision_from(data):
    signed_on = data.get("signed_on")
    if isinstance(signed_on, str):
        signed_on = datetime.date.fromisoformat(signed_on) if signed_on else None
    return Decision(data.get("decision_number") or "", signed_on, data.get("issuing_body") or "")


class DecisionImportView(AdminPage):
    agency_only = True
    page_title = gettext_lazy("Import a recognition decision")
    header_icon = "upload"
    template_name = "marketplace/admin/import_decisions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", DecisionAnnexForm())
        context["held_count"] = HeldRow.objects.filter(status=HeldRow.Status.HELD).count()
        return context

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = DecisionAnnexForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        content = upload.read()
        decision = decision_from(form.cleaned_data)
        try:
            report = import_decisions(content, upload.name, user=request.user, dry_run=True, decision=decision)
        except FileError as exc:
            form.add_error("file", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        extension = upload.name.rsplit(".", 1)[-1].lower()
        stored = default_storage.save(f"decision-imports/{uuid.uuid4().hex}.{extension}", ContentFile(content))
        token = signing.dumps(
            {
                "path": stored,
                "name": upload.name,
                "decision_number": decision.number,
                "signed_on": decision.signed_on.isoformat() if decision.signed_on else "",
                "issuing_body": decision.issuing_body,
            },
            salt=SALT,
        )
        level = parse_level("", None, decision.issuing_body) if decision.issuing_body else None
        return self.render_to_response(
            self.get_context_data(
                form=DecisionAnnexForm(),
                report=report,
                token=token,
                filename=upload.name,
                decision=decision,
                decision_level=level,
            )
        )

    def confirm(self, request):
        try:
            data = signing.loads(request.POST["token"], salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("This preview has expired; upload the file again."))
            return redirect("marketplace_import_decisions")
        if not default_storage.exists(data["path"]):
            messages.error(request, _("This file was already imported or has expired; upload it again."))
            return redirect("marketplace_import_decisions")
        with default_storage.open(data["path"], "rb") as handle:
            content = handle.read()
        # Near matches the agency ticked: "producer-<line>" = the existing producer's id.
        confirmed = {}
        for key, value in request.POST.items():
            line, producer = record_id(key.removeprefix("producer-")), record_id(value)
            if key.startswith("producer-") and line is not None and producer is not None:
                confirmed[line] = producer
        try:
            report = import_decisions(
                content,
                data["name"],
                user=request.user,
                dry_run=False,
                decision=decision_from(data),
                confirmed=confirmed,
            )
        except FileError as exc:
            messages.error(request, str(exc))
            return redirect("marketplace_import_decisions")
        default_storage.delete(data["path"])
        messages.success(request, _("Imported {name}: {summary}").format(name=data["name"], summary=report.summary))
        if report.batch is not None and report.batch.held_rows.filter(status=HeldRow.Status.HELD).exists():
            return redirect(reverse("marketplace_held_rows") + f"?batch={report.batch.pk}")
        return redirect("marketplace_import_decisions")


def held_rows_for(request):
    rows = HeldRow.objects.filter(status=HeldRow.Status.HELD).select_related("batch")
    batch = record_id(request.GET.get("batch"))
    if batch is not None:
        rows = rows.filter(batch_id=batch)
    return rows, batch or ""


class HeldRowListView(AdminPage):
    agency_only = True
    page_title = gettext_lazy("Held rows")
    header_icon = "warning"
    template_name = "marketplace/admin/held_rows.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows, batch = held_rows_for(self.request)
        context.update(
            rows=rows[:500],
            total=rows.count(),
            batch=DecisionBatch.objects.filter(pk=batch).first() if batch else None,
            batch_id=batch,
        )
        return context


class HeldRowEditView(AdminPage):
    agency_only = True
    page_title = gettext_lazy("Complete a held row")
    parent_crumb = ("marketplace_held_rows", gettext_lazy("Held rows"))
    header_icon = "edit"
    template_name = "marketplace/admin/held_row_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if not is_agency(request.user):
            return super().dispatch(request, *args, **kwargs)
        self.held = get_object_or_404(HeldRow.objects.select_related("batch"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", HeldRowForm(held=self.held))
        context["held"] = self.held
        return context

    def get(self, request, pk):
        if self.held.status != HeldRow.Status.HELD:
            raise Http404
        return super().get(request)

    def post(self, request, pk):
        if self.held.status != HeldRow.Status.HELD:
            messages.error(request, _("This row was already imported or discarded."))
            return redirect("marketplace_held_rows")
        if request.POST.get("action") == "discard":
            self.held.status = HeldRow.Status.DISCARDED
            self.held.save(update_fields=["status", "updated_at"])
            messages.success(request, _("Row {line} discarded.").format(line=self.held.line))
            return redirect("marketplace_held_rows")
        form = HeldRowForm(request.POST, held=self.held)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        self.held.values = {c: v for c, v in form.cleaned_data.items() if v}
        dry_run = request.POST.get("action") != "import"
        result = DecisionImporter(request.user).import_held(self.held, dry_run=dry_run)
        if not dry_run and result.ok:
            messages.success(
                request,
                _("Row {line} imported: {product} ({producer}).").format(
                    line=self.held.line, product=result.product_name, producer=result.producer_name
                ),
            )
            return redirect(reverse("marketplace_held_rows") + f"?batch={self.held.batch_id}")
        return self.render_to_response(self.get_context_data(form=form, result=result, checked=dry_run))


def held_rows_table(rows):
    """Header and rows of the download: the annex columns (decision filled from the batch), then the reasons."""
    columns = list(LABELS)
    header = [_("row"), *[LABELS[c] for c in columns], _("reasons")]
    body = []
    for held in rows:
        values = dict(held.values)
        batch = held.batch
        values.setdefault("decision_number", batch.decision_number)
        values.setdefault("issuing_body", batch.issuing_body)
        if batch.signed_on:
            values.setdefault("signed_on", batch.signed_on.strftime("%d/%m/%Y"))
        cells = [held.line, *[values.get(c) or "" for c in columns], " ".join(held.reasons)]
        body.append(cells)
    return header, body


class HeldRowDownloadView(View):
    """The rows not imported, with their reasons, to fix in a spreadsheet and upload again."""

    def get(self, request, extension):
        if not is_agency(request.user):
            raise Http404
        rows, batch = held_rows_for(request)
        header, body = held_rows_table(rows)
        name = f"held-rows-{batch}" if batch else "held-rows"
        return spreadsheets.download([header, *body], name, "csv" if extension == "csv" else "xlsx", _("Held rows"))
