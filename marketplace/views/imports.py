"""Upload a decision list, read the dry run, confirm: agency only."""

import uuid

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect

from ..forms import DecisionUploadForm
from ..imports import FileError, import_decisions
from . import AdminPage

SALT = "marketplace.decision-import"
# A preview stays confirmable for a day.
MAX_AGE = 24 * 3600


class DecisionImportView(AdminPage):
    agency_only = True
    page_title = "Import certification decisions"
    header_icon = "upload"
    template_name = "marketplace/admin/import_decisions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", DecisionUploadForm())
        return context

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = DecisionUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            report = import_decisions(content, upload.name, user=request.user, dry_run=True)
        except FileError as exc:
            form.add_error("file", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        extension = upload.name.rsplit(".", 1)[-1].lower()
        stored = default_storage.save(f"decision-imports/{uuid.uuid4().hex}.{extension}", ContentFile(content))
        token = signing.dumps({"path": stored, "name": upload.name}, salt=SALT)
        return self.render_to_response(
            self.get_context_data(form=DecisionUploadForm(), report=report, token=token, filename=upload.name)
        )

    def confirm(self, request):
        try:
            data = signing.loads(request.POST["token"], salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            messages.error(request, "This preview has expired; upload the file again.")
            return redirect("marketplace_import_decisions")
        if not default_storage.exists(data["path"]):
            messages.error(request, "This file was already imported or has expired; upload it again.")
            return redirect("marketplace_import_decisions")
        with default_storage.open(data["path"], "rb") as handle:
            content = handle.read()
        report = import_decisions(content, data["name"], user=request.user, dry_run=False)
        if report.committed:
            default_storage.delete(data["path"])
            messages.success(request, f"Imported {data['name']}: {report.summary}")
            return redirect("marketplace_import_decisions")
        # The data changed since the dry run and a row now fails: nothing was written.
        return self.render_to_response(
            self.get_context_data(form=DecisionUploadForm(), report=report, filename=data["name"])
        )
