"""Admin forms: invitations, producer profiles, uploads and imports."""

from django import forms
from django.contrib.auth import get_user_model

from catalogue.access import is_agency, producers_for, products_for
from catalogue.models import Producer

from .models import CertificateSubmission


class InviteProducerForm(forms.Form):
    email = forms.EmailField(help_text="The producer receives a link to set a password.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    producer = forms.ModelChoiceField(queryset=None, help_text="The producer this account acts for.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = Producer.objects.order_by("name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        existing = get_user_model().objects.filter(email__iexact=email).first()
        if existing is not None and (existing.is_superuser or is_agency(existing)):
            raise forms.ValidationError("This address belongs to an agency account; use another one.")
        return email


class ProducerProfileForm(forms.ModelForm):
    """What a producer keeps current about itself; identity and province stay with the agency."""

    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Producer
        fields = [
            "contact_name",
            "phone",
            "email",
            "website",
            "commune",
            "address_line",
            "description",
            "description_en",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_en": forms.Textarea(attrs={"rows": 5}),
        }


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
            raise forms.ValidationError("Upload a PDF or a photo (JPG, PNG, WebP) of the certificate.")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB; scan it at a lower resolution.")
        return upload

    def clean(self):
        cleaned = super().clean()
        product, producer = cleaned.get("product"), cleaned.get("producer")
        if product and producer and product.producer_id != producer.pk:
            self.add_error("product", "This product belongs to another producer.")
        return cleaned


class SubmissionReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accepted", "Matches the record"), ("rejected", "Reject")])
    review_note = forms.CharField(max_length=255, required=False)


class DecisionUploadForm(forms.Form):
    file = forms.FileField(help_text="A decision list as CSV (UTF-8) or Excel (.xlsx).")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in ("csv", "xlsx"):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB; split it into several imports.")
        return upload
