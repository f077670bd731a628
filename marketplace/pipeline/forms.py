"""The form parts every buyer form shares: contact fields, spam checks, consent, message length."""

import time

import phonenumbers

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The salt's name predates this module; changing it would invalidate forms open in browsers.
STARTED_SALT = "marketplace.inquiries.started"


def sign_started(now=None):
    """When the form was shown, signed so a bot cannot claim it took its time."""
    return signing.dumps(int(now if now is not None else time.time()), salt=STARTED_SALT)


class SpamCheckMixin(forms.Form):
    """A honeypot and a minimum time to fill, with no third-party service."""

    # Humans never see this field (hidden with CSS and from screen readers); bots fill it.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    started = forms.CharField(widget=forms.HiddenInput)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(gettext("Your request looks automated and was not sent."), code="honeypot")
        try:
            started = signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=2 * 24 * 3600)
        except signing.BadSignature:
            # Also an expired form (two days open): the typed values stay, a fresh stamp goes out.
            raise forms.ValidationError(
                gettext("This form has expired or was altered. Please check your entries and send again."),
                code="started",
            ) from None
        if time.time() - int(started) < settings.INQUIRY_MIN_FILL_SECONDS:
            raise forms.ValidationError(
                gettext("That was faster than a person can type. Please check your entries and send again."),
                code="too_fast",
            )
        return cleaned


MAX_MESSAGE = 5000


def limit_message(form):
    # The model's TextField has no limit; a request for quotation needs no more than this.
    field = form.fields["message"]
    field.max_length = MAX_MESSAGE
    field.validators.append(MaxLengthValidator(MAX_MESSAGE))
    field.widget.attrs["maxlength"] = str(MAX_MESSAGE)


class BuyerFieldsMixin:
    def clean_phone(self):
        raw = (self.cleaned_data.get("phone") or "").strip()
        if not raw:
            return ""
        country = self.data.get("country") or None
        try:
            number = phonenumbers.parse(raw, country if raw[0] != "+" else None)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                gettext("Enter a valid phone number with its country code, e.g. +84 24 3874 0000."), code="phone"
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_wanted_by(self):
        wanted_by = self.cleaned_data.get("wanted_by")
        if wanted_by and wanted_by < timezone.localdate():
            raise forms.ValidationError(gettext("The date must not be in the past."), code="past")
        return wanted_by

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_currency(self):
        return self.cleaned_data.get("currency") or ""

    def check_price(self, cleaned):
        if cleaned.get("target_price") is not None and not cleaned.get("currency"):
            self.add_error("currency", gettext("Say which currency the target price is in."))


class ConsentMixin(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree that my personal data is processed for this request, as described above."),
        error_messages={"required": _("We can pass on your request only with your consent.")},
    )
