"""Certificate documents producers upload for the agency to check against the records."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log

from catalogue.access import is_agency

from ...shared.admin_pages import AdminPage
from ..forms import CertificateSubmissionForm, SubmissionReviewForm
from ..models import submissions_for


class SubmissionListView(AdminPage):
    page_title = _("Certificate documents")
    header_icon = "doc-full"
    template_name = "marketplace/admin/submissions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["submissions"] = submissions_for(user).select_related("producer", "product", "submitted_by")
        context["form"] = kwargs.get("form") or CertificateSubmissionForm(user=user)
        context["is_agency"] = is_agency(user)
        return context

    def post(self, request):
        form = CertificateSubmissionForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        submission = form.save(commit=False)
        submission.submitted_by = request.user
        submission.original_name = request.FILES["file"].name[:255]
        submission.save()
        messages.success(request, gettext("Thank you: the agency will check the document against the record."))
        return redirect("marketplace_submissions")


class SubmissionDownloadView(AdminPage):
    def get(self, request, pk):
        # Someone else's document answers 404, exactly like one that does not exist.
        submission = get_object_or_404(submissions_for(request.user), pk=pk)
        content_type = mimetypes.guess_type(submission.file.name)[0] or "application/octet-stream"
        return FileResponse(
            submission.file.open("rb"), filename=submission.original_name or None, content_type=content_type
        )


class SubmissionReviewView(AdminPage):
    agency_only = True
    http_method_names = ["post"]

    def post(self, request, pk):
        submission = get_object_or_404(submissions_for(request.user), pk=pk)
        form = SubmissionReviewForm(request.POST)
        if not form.is_valid():
            raise PermissionDenied
        submission.status = form.cleaned_data["decision"]
        submission.review_note = form.cleaned_data["review_note"]
        submission.reviewed_by = request.user
        submission.reviewed_at = timezone.now()
        submission.save()
        log(instance=submission.producer, action="wagtail.edit", user=request.user, title=f"Document {submission}")
        messages.success(
            request,
            gettext("%(document)s: %(status)s.") % {"document": submission, "status": submission.get_status_display()},
        )
        return redirect("marketplace_submissions")
