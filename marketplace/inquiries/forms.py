"""The buyer's forms: a request for quotation on one product, and a sourcing request."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Category, Province, QualityCertification
from catalogue.models.products import Unit

from ..pipeline.forms import BuyerFieldsMixin, ConsentMixin, SpamCheckMixin, limit_message
from .models import Inquiry

CONSENT_NOTICE = _(
    "We keep your name, company, contacts and messages only to pass your request to the producers "
    "it is addressed to and to the trade-promotion agency, and to carry the conversation. Closed "
    "inquiries are erased after the period the agency sets (24 months unless it says otherwise); "
    "you can ask for deletion at any time with the link in our acknowledgement. "
    "(Decree 13/2023/NĐ-CP on personal data protection.)"
)


BUYER_FIELDS = ["name", "company", "email", "phone", "country"]
TERMS_FIELDS = ["target_price", "currency", "incoterm", "destination", "wanted_by"]
WIDGETS = {
    "wanted_by": forms.DateInput(attrs={"type": "date"}),
    "message": forms.Textarea(attrs={"rows": 5}),
}


class ProductInquiryForm(BuyerFieldsMixin, SpamCheckMixin, ConsentMixin, forms.ModelForm):
    form_kind = "inquiry"

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
    form_kind = "sourcing"
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
