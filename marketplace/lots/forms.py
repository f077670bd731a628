"""The lot's admin form: a producer picks among its own products; documents are uploaded with the lot.

Documents become Wagtail documents (so the agency finds them under *Documents* too), uploaded
here rather than chosen: Wagtail's chooser would show a producer every producer's files.
"""

import os

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel
from wagtail.documents import get_document_model

from catalogue.access import products_for

from .identifiers import compact

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


class LotForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "product" in self.fields:
            self.fields["product"].queryset = products_for(self.for_user).order_by("title")
        # Typed off a label, a number comes with spaces or dashes: its length is checked once compacted.
        for name in ("gtin", "site_gln"):
            field = self.fields[name]
            field.max_length = None
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.widget.attrs.pop("maxlength", None)

    def clean_gtin(self):
        return compact(self.cleaned_data["gtin"])

    def clean_site_gln(self):
        return compact(self.cleaned_data["site_gln"])


class LotDocumentForm(WagtailAdminModelForm):
    upload = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF or picture, at most 10 MB. Everyone who scans the lot can open it."),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            if not self.instance.document_id:
                raise forms.ValidationError(_("Choose the file to upload."))
            return None
        extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            raise forms.ValidationError(
                _("Upload a file of one of these kinds: %(kinds)s.")
                % {"kinds": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)}
            )
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload

    def save(self, commit=True):
        upload = self.cleaned_data.get("upload")
        if upload:
            document = get_document_model()(title=self.cleaned_data["title"], file=upload)
            document.save()
            self.instance.document = document
        return super().save(commit=commit)


class DocumentsPanel(InlinePanel):
    """The lot's documents, each row with a file field that makes a Wagtail document."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = LotDocumentForm
        return options
