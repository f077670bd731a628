"""The product page's admin form; catalogue.models.products imports it to define ProductPage."""

from django import forms
from django.utils.translation import gettext

from wagtail.admin.forms import WagtailAdminPageForm

from .glossary.naming import english_name
from .models.members import is_agency, producers_for


class ProductPageForm(WagtailAdminPageForm):
    """A producer can only attach a product page to a producer they act for; the English name
    field offers the name the OCOP glossary composes from the Vietnamese title."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        self.suggest_english_name()
        if for_user is not None and not is_agency(for_user) and "producer" in self.fields:
            field = self.fields["producer"]
            field.widget = forms.Select()
            field.queryset = producers_for(for_user)
            field.empty_label = None
            own = list(field.queryset[:2])
            if len(own) == 1 and not self.instance.producer_id:
                self.initial["producer"] = own[0].pk
                if "province" in self.fields and not self.instance.province_id:
                    self.initial["province"] = own[0].province_id

    def suggest_english_name(self):
        """Show the glossary's English name as the field's placeholder and in its help text:
        left empty, English readers see it marked as indicative; typed, it is confirmed."""
        field = self.fields.get("name_en")
        suggestion = english_name(self.instance.title) if self.instance and self.instance.title else ""
        if field is None:
            return
        if suggestion:
            field.widget.attrs["placeholder"] = suggestion
            field.help_text = gettext(
                "Suggested from the OCOP glossary: “%(name)s”. Leave empty and English readers see it, "
                "marked as a glossary name; write it (or your own) to confirm it."
            ) % {"name": suggestion}
        else:
            field.help_text = gettext(
                "The OCOP glossary does not know this product yet: English readers see the Vietnamese name "
                "and its sub-group until you write one."
            )
