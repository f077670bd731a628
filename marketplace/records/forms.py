"""Admin forms of the agency's records: certificate documents, decision annexes, held rows, revocations."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.access import producers_for, products_for

from .annexes.columns import LABELS
from .annexes.errors import RowError
from .annexes.values import check_signing_date
from .models import CertificateSubmission


class CertificateSubmissionForm(forms.ModelForm):
    MAX_BYTES = 10 * 1024 * 1024
    EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "webp")

    class Meta:
        model = CertificateSubmission
        fields = ["producer", "product", "file", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers_for(user)
        self.fields["producer"].empty_label = None
        self.fields["product"].queryset = products_for(user).order_by("title")
        self.fields["product"].required = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in self.EXTENSIONS:
            raise forms.ValidationError(_("Upload a PDF or a photo (JPG, PNG, WebP) of the certificate."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB; scan it at a lower resolution."))
        return upload

    def clean(self):
        cleaned = super().clean()
        product, producer = cleaned.get("product"), cleaned.get("producer")
        if product and producer and product.producer_id != producer.pk:
            self.add_error("product", _("This product belongs to another producer."))
        return cleaned


class SubmissionReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accepted", _("Matches the record")), ("rejected", _("Reject"))]
    )
    review_note = forms.CharField(label=_("Review note"), max_length=255, required=False)


class DecisionUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A decision list as CSV (UTF-8) or Excel (.xlsx)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in ("csv", "xlsx"):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it into several imports."))
        return upload


DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]


class DecisionEntryMixin:
    """The decision as the agency reads it in the heading of the published document."""

    def check_signing_date(self, signed_on):
        try:
            check_signing_date(signed_on)
        except RowError as exc:
            self.add_error("signed_on", str(exc))


class DecisionAnnexForm(DecisionEntryMixin, forms.Form):
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=64,
        required=False,
        help_text=_(
            "As in the decision's heading, e.g. 1425/QĐ-UBND. Leave the three decision fields empty "
            "when every row of the file carries its own decision."
        ),
    )
    signed_on = forms.DateField(
        label=_("Signing date"), required=False, input_formats=DATE_INPUTS, help_text=_("dd/mm/yyyy")
    )
    issuing_body = forms.CharField(
        label=_("Issuing body"),
        max_length=255,
        required=False,
        help_text=_(
            "e.g. UBND tỉnh Quảng Nam; the recognition level and, where no column gives it, the province "
            "follow from it."
        ),
    )
    file = forms.FileField(label=_("Annex"), help_text=_("The decision's annex as CSV (UTF-8) or Excel (.xlsx)."))

    def clean_file(self):
        return DecisionUploadForm.clean_file(self)

    def clean(self):
        cleaned = super().clean()
        given = [cleaned.get(name) for name in ("decision_number", "signed_on", "issuing_body")]
        if any(given) and not all(given):
            for name, value in zip(("decision_number", "signed_on", "issuing_body"), given, strict=True):
                if not value and name not in self.errors:
                    self.add_error(name, _("Enter the decision's number, signing date and issuing body together."))
        if cleaned.get("signed_on"):
            self.check_signing_date(cleaned["signed_on"])
        return cleaned


class RevocationForm(DecisionEntryMixin, forms.Form):
    decision_number = forms.CharField(label=_("Revocation decision number"), max_length=64)
    signed_on = forms.DateField(label=_("Signing date"), input_formats=DATE_INPUTS, help_text=_("dd/mm/yyyy"))
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=255, required=False)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Buyers read it on each record, e.g. “Không đăng ký đánh giá lại khi hết hạn”."),
    )
    file = forms.FileField(
        label=_("List of records"),
        required=False,
        help_text=_("CSV or XLSX with the columns decision number and product name, or record id."),
    )
    pasted = forms.CharField(
        label=_("…or paste the list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One record a line: its public id or address (…/certifications/123/), or “decision number; product name”."
        ),
    )

    def clean_file(self):
        if not self.cleaned_data.get("file"):
            return None
        return DecisionUploadForm.clean_file(self)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("pasted") or "").strip() and "file" not in self.errors:
            self.add_error("pasted", _("Upload the list of records or paste it."))
        if cleaned.get("signed_on"):
            self.check_signing_date(cleaned["signed_on"])
        return cleaned


class HeldRowForm(forms.Form):
    """One field per column of an annex row, to complete what the file left out."""

    def __init__(self, *args, held, **kwargs):
        super().__init__(*args, **kwargs)
        for column, text in LABELS.items():
            self.fields[column] = forms.CharField(
                label=_(text).capitalize(), max_length=255, required=False, initial=held.values.get(column, "")
            )
        batch = held.batch
        if batch.decision_number:
            for column in ("decision_number", "issuing_body", "signed_on"):
                self.fields[column].help_text = _("Empty: the batch's decision ({value}).").format(
                    value=getattr(batch, column) or ""
                )

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Remove the NUL character."))
        return cleaned
