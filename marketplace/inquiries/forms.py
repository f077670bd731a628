"""The buyer's forms: a request for quotation on one product, and a sourcing request."""

import time

import phonenumbers

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Category, Province, QualityCertification
from catalogue.models.products import Unit

from .models import Inquiry

STARTED_SALT = "marketplace.inquiries.started"
CONSENT_NOTICE = _(
    "We keep your name, company, contacts and messages only to pass your request to the producers "
    "it is addressed to and to the trade-promotion agency, and to carry the conversation. Closed "
    "inquiries are erased after the period the agency sets (24 months unless it says otherwise); "
    "you can ask for deletion at any time with the link in our acknowledgement. "
    "(Decree 13/2023/NĐ-CP on personal data protection.)"
)


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


BUYER_FIELDS = ["name", "company", "email", "phone", "country"]
TERMS_FIELDS = ["target_price", "currency", "incoterm", "destination", "wanted_by"]
WIDGETS = {
    "wanted_by": forms.DateInput(attrs={"type": "date"}),
    "message": forms.Textarea(attrs={"rows": 5}),
}


class ConsentMixin(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree that my personal data is processed for this request, as described above."),
        error_messages={"required": _("We can pass on your request only with your consent.")},
    )


class ProductInquiryForm(BuyerFieldsMixin, SpamCheckMixin, ConsentMixin, forms.ModelForm):
    class Meta:
        model = Inquiry
        fields = [*BUYER_FIELDS, "quantity", "unit", *TERMS_FIELDS, "message"]
        widgets = WIDGETS

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.product = product
        limit_message(self)
        for name in ("quantity", "unit", "message"):
            self.fields[name].required = True
        self.fields["quantity"].min_value = 0
        # The product's MOQ unit first, then the others.
        units = list(Unit.choices)
        if product.moq_unit:
            units.sort(key=lambda choice: choice[0] != product.moq_unit)
        self.fields["unit"] = forms.ChoiceField(label=_("unit"), choices=units, initial=product.moq_unit or None)
        if product.moq_quantity:
            self.fields["quantity"].help_text = gettext(
                "Minimum order: %(quantity)s %(unit)s. You may ask for less (a sample or trial order)."
            ) % {"quantity": f"{product.moq_quantity:g}", "unit": product.get_moq_unit_display()}
            self.fields["quantity"].initial = product.moq_quantity

    def clean(self):
        cleaned = super().clean()
        self.check_price(cleaned)
        quantity = cleaned.get("quantity")
        if quantity is not None and quantity <= 0:
            self.add_error("quantity", gettext("Enter a quantity above zero."))
        return cleaned

    @property
    def below_moq(self):
        """Allowed, and said: the producer sees it is a sample or trial order."""
        product, data = self.product, getattr(self, "cleaned_data", {})
        return bool(
            product.moq_quantity
            and data.get("quantity") is not None
            and data.get("unit") == product.moq_unit
            and data["quantity"] < product.moq_quantity
        )


def category_choices():
    return [("", _("Any product group"))] + [
        (c.slug, ("— " * (c.depth - 1)) + c.name) for c in Category.objects.filter(code__regex=r"^\d+(\.\d+)?$")
    ]


def province_choices():
    return [("", _("Any province"))] + [(p.slug, p.name) for p in Province.objects.current().order_by("name")]


class SourcingRequestForm(BuyerFieldsMixin, SpamCheckMixin, ConsentMixin, forms.ModelForm):
    category_slug = forms.ChoiceField(label=_("product group"), required=False)
    province_slug = forms.ChoiceField(label=_("province of origin"), required=False)
    min_stars = forms.TypedChoiceField(
        label=_("minimum stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any (3★ and above)")), (4, "4★"), (5, "5★")],
    )
    quality = forms.ChoiceField(
        label=_("quality certification"),
        required=False,
        choices=[("", _("None required")), *QualityCertification.Scheme.choices],
    )

    class Meta:
        model = Inquiry
        fields = [*BUYER_FIELDS, "subject", "message", "quantity", "unit", *TERMS_FIELDS, "quality"]
        widgets = WIDGETS
        labels = {"message": _("What you need")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].required = True
        self.fields["subject"].help_text = _("A few words, e.g. “fish sauce” or “green tea”.")
        self.fields["message"].required = True
        limit_message(self)
        self.fields["unit"] = forms.ChoiceField(label=_("unit"), choices=[("", "—"), *Unit.choices], required=False)
        self.fields["category_slug"].choices = category_choices()
        self.fields["province_slug"].choices = province_choices()

    def clean(self):
        cleaned = super().clean()
        self.check_price(cleaned)
        slug = cleaned.get("category_slug")
        cleaned["category"] = Category.objects.filter(slug=slug).first() if slug else None
        slug = cleaned.get("province_slug")
        cleaned["province"] = Province.objects.current().filter(slug=slug).first() if slug else None
        return cleaned

    def save(self, commit=True):
        inquiry = super().save(commit=False)
        inquiry.category = self.cleaned_data.get("category")
        inquiry.province = self.cleaned_data.get("province")
        inquiry.min_stars = self.cleaned_data.get("min_stars")
        if commit:
            inquiry.save()
        return inquiry


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000, strip=True
    )


class ThreadReplyForm(ReplyForm):
    """The buyer's answer on the private thread page: the same honeypot as the first form."""

    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(gettext("Your message looks automated and was not sent."))
        return cleaned
