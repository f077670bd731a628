"""The form parts every buyer form shares: contact fields, spam checks, consent, message length."""

import time
import uuid

import phonenumbers

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The salt's name predates this module. (Stamps signed before they named their form and token
# hold a bare time: they read as altered, and the form goes back with a fresh one.)
STARTED_SALT = "marketplace.inquiries.started"


def sign_started(kind, form_token, now=None):
    """When the form was shown, signed with the form it was shown in and that form's one-time token.

    A bot cannot claim it took its time, and one stamp vouches for one form once: not for every
    form of the site for two days, whatever token is posted with it.
    """
    moment = int(now if now is not None else time.time())
    return signing.dumps([kind, str(form_token), moment], salt=STARTED_SALT)


class SpamCheckMixin(forms.Form):
    """A honeypot and a minimum time to fill, with no third-party service."""

    # What the fill-time stamp is bound to, besides the token: each form names itself.
    form_kind = ""

    # Humans never see this field (hidden with CSS and from screen readers); bots fill it.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    started = forms.CharField(widget=forms.HiddenInput)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a form being shown: its token, and the stamp for this form and token
            self.initial = {**self.initial}
            token = self.initial.setdefault("form_token", uuid.uuid4())
            self.initial["started"] = sign_started(self.form_kind, token)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(gettext("Your request looks automated and was not sent."), code="honeypot")
        try:
            kind, token, started = signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=2 * 24 * 3600)
            if kind != self.form_kind or token != str(cleaned.get("form_token")):
                raise signing.BadSignature("stamp of another form")
            started = int(started)
        except (signing.BadSignature, TypeError, ValueError):
            # Also an expired form (two days open), or another form's stamp: the typed values stay,
            # a fresh stamp goes out.
            raise forms.ValidationError(
                gettext("This form has expired or was altered. Please check your entries and send again."),
                code="started",
            ) from None
        if time.time() - started < settings.INQUIRY_MIN_FILL_SECONDS:
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
