"""Revoke a list of records in one step: the revocation decision, its list, the dry run, confirm."""

import datetime
import uuid

from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...shared.admin_pages import AdminPage
from ..annexes.errors import FileError
from ..forms import RevocationForm
from ..revocations import lines_from_file, lines_from_text, revoke

SALT = "marketplace.revocation"
MAX_AGE = 24 * 3600


class RevocationView(AdminPage):
    agency_only = True
    page_title = gettext_lazy("Revoke records")
    header_icon = "cross"
    template_name = "marketplace/admin/revoke.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", RevocationForm())
        return context

    def lines(self, content, filename, pasted):
        return lines_from_file(content, filename) if content else lines_from_text(pasted)

    def post(self, request):
        if "token" in request.POST:
            return self.confirm(request)
        form = RevocationForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        upload = data.get("file")
        content = upload.read() if upload else b""
        try:
            lines = self.lines(content, upload.name if upload else "", data.get("pasted") or "")
        except FileError as exc:
            form.add_error("file" if upload else "pasted", str(exc))
            return self.render_to_response(self.get_context_data(form=form))
        report = revoke(lines, data["decision_number"], data["signed_on"], data["reason"], dry_run=True)
        payload = {
            "decision_number": data["decision_number"],
            "signed_on": data["signed_on"].isoformat(),
            "issuing_body": data.get("issuing_body") or "",
            "reason": data["reason"],
            "pasted": "" if upload else data.get("pasted") or "",
            "name": upload.name if upload else "",
        }
        if upload:
            extension = upload.name.rsplit(".", 1)[-1].lower()
            payload["path"] = default_storage.save(
                f"decision-imports/{uuid.uuid4().hex}.{extension}", ContentFile(content)
            )
        token = signing.dumps(payload, salt=SALT)
        return self.render_to_response(self.get_context_data(form=form, report=report, token=token))

    def confirm(self, request):
        try:
            data = signing.loads(request.POST["token"], salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            messages.error(request, _("This preview has expired; enter the revocation again."))
            return redirect("marketplace_revoke")
        content = b""
        if data.get("path"):
            if not default_storage.exists(data["path"]):
                messages.error(request, _("This list was already used or has expired; upload it again."))
                return redirect("marketplace_revoke")
            with default_storage.open(data["path"], "rb") as handle:
                content = handle.read()
        signed_on = datetime.date.fromisoformat(data["signed_on"])
        try:
            lines = self.lines(content, data.get("name", ""), data.get("pasted", ""))
            report = revoke(
                lines,
                data["decision_number"],
                signed_on,
                data["reason"],
                issuing_body=data["issuing_body"],
                user=request.user,
                dry_run=False,
                content=content or data.get("pasted", "").encode(),
            )
        except FileError as exc:
            messages.error(request, _("Nothing was revoked: {error}").format(error=exc))
            return redirect("marketplace_revoke")
        if data.get("path"):
            default_storage.delete(data["path"])
        messages.success(
            request,
            _("Decision {number}: {n} records revoked. {summary}").format(
                number=data["decision_number"], n=report.revoked, summary=report.summary
            ),
        )
        return redirect("marketplace_revoke")
