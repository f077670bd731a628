"""Admin forms of producer accounts: inviting one, and the profile a producer keeps current."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency
from catalogue.models import Producer


class InviteProducerForm(forms.Form):
    email = forms.EmailField(label=_("Email"), help_text=_("The producer receives a link to set a password."))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    producer = forms.ModelChoiceField(
        label=_("Producer"), queryset=None, help_text=_("The producer this account acts for.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = Producer.objects.order_by("name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        existing = get_user_model().objects.filter(email__iexact=email).first()
        if existing is not None and (existing.is_superuser or is_agency(existing)):
            raise forms.ValidationError(_("This address belongs to an agency account; use another one."))
        return email


class ProducerProfileForm(forms.ModelForm):
    """What a producer keeps current about itself; identity and province stay with the agency."""

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

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
