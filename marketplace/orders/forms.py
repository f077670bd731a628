"""The buyer's sample-order form: quantity, where to ship, who they are, consent, how to pay.

The honeypot, fill-time stamp, one-time form token, phone check and Decree 13 consent are the
inquiry forms' own (marketplace.inquiries.forms); the price is never read from the form.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Province

from ..pipeline.forms import BuyerFieldsMixin, ConsentMixin, SpamCheckMixin
from ..shared import wards
from . import pricing
from .models import SampleOrder
from .reviews import COMMENT_CHARS, SampleReview

CONSENT_NOTICE = _(
    "We keep your name, company, contacts and shipping address only to take your sample order, ship it "
    "and keep the accounts: the producer and the trade-promotion agency see them. Nothing is passed to "
    "anyone else except the carrier. Once the order is closed, they are erased after the period the agency "
    "sets (24 months unless it says otherwise); the amounts and the payment record stay for the accounts. "
    "(Decree 13/2023/NĐ-CP on personal data protection.)"
)


class WardInput(forms.TextInput):
    """The commune typed, with the chosen province's communes and wards as suggestions (a datalist,
    which browsers show without any script), the button that lists them without JavaScript, and,
    when what was typed could mean several wards, one button per candidate."""

    template_name = "marketplace/widgets/ward_input.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.names, self.candidates = (), ()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        datalist = f"{context['widget']['attrs'].get('id', name)}-wards"
        context["widget"]["attrs"]["list"] = datalist
        context["widget"].update(datalist_id=datalist, names=self.names, candidates=self.candidates)
        return context


class SampleOrderForm(BuyerFieldsMixin, SpamCheckMixin, ConsentMixin, forms.ModelForm):
    form_kind = "sample-order"
    province = forms.ModelChoiceField(
        label=_("province or city"), queryset=Province.objects.none(), required=False, empty_label="—"
    )

    class Meta:
        model = SampleOrder
        fields = [
            "quantity",
            "name",
            "company",
            "email",
            "phone",
            "country",
            "province",
            "commune",
            "address_line",
            "city",
            "postal_code",
            "currency",
        ]
        labels = {"currency": _("pay in")}
        widgets = {"commune": WardInput}

    def __init__(self, *args, product, order_settings, card_enabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not card_enabled:
            del self.fields["currency"]  # a bank transfer is in đồng; USD is for card payments only
        self.product, self.order_settings, self.quote = product, order_settings, None
        self.ward_notice = ""  # set when the buyer typed a former name: which current ward it became
        limit = product.sample_max_quantity
        self.fields["quantity"] = forms.TypedChoiceField(
            label=_("quantity"),
            coerce=int,
            choices=[(n, str(n)) for n in range(1, limit + 1)],
            initial=1,
            help_text=gettext("At most %(limit)s per order, at %(price)s each.")
            % {"limit": limit, "price": pricing.vnd(product.sample_price_vnd)},
        )
        self.fields["province"].queryset = Province.objects.current().order_by("name_ascii")
        self.fields["phone"].required = True
        self.fields["country"].initial = "VN"
        self.fields["province"].help_text = _("Shipping in Vietnam: the current province (34 since July 2025).")
        self.fields["commune"].help_text = _(
            "Shipping in Vietnam: the commune or ward, e.g. Phường Hải Châu. Its name from before July 2025 "
            "is also understood."
        )
        # site.js fills the datalist from this address when the province changes (…/wards/<id>/).
        self.fields["province"].widget.attrs.update(
            {"data-wards-url": reverse("orders:wards", args=[0]), "data-wards-list": f"{self['commune'].auto_id}-wards"}
        )
        province = self.chosen_province()
        if province is not None:
            self.fields["commune"].widget.names = wards.names(province.code)
        self.fields["city"].help_text = _("Shipping abroad.")
        if card_enabled:
            self.fields["currency"].help_text = _(
                "Bank transfer is in VND; a card payment can be in USD at the agency's rate."
            )

    def clean(self):
        cleaned = super().clean()
        country = cleaned.get("country")
        if country == "VN":
            province = cleaned.get("province")
            if province is None:
                self.add_error("province", gettext("Choose the province to ship to."))
            commune = (cleaned.get("commune") or "").strip()
            if not commune:
                self.add_error("commune", gettext("Enter the commune or ward."))
            elif province is not None:
                self.clean_ward(cleaned, commune, province)
            cleaned["city"], cleaned["postal_code"] = "", ""
        elif country:
            cleaned["province"], cleaned["commune"] = None, ""
            if not (cleaned.get("city") or "").strip():
                self.add_error("city", gettext("Enter the city to ship to."))
        quantity = cleaned.get("quantity")
        if country and quantity and not self.errors:
            try:
                self.quote = pricing.quote(self.product, quantity, country, self.order_settings)
            except pricing.NoShipping:
                self.add_error(
                    "country",
                    gettext("Samples cannot be shipped to %(country)s yet. Send an inquiry instead.")
                    % {"country": dict(self.fields["country"].choices).get(country, country)},
                )
        return cleaned

    def chosen_province(self):
        """The current province chosen (sent, or kept from the step that listed its wards), if valid."""
        try:
            return self.fields["province"].clean(self["province"].value())
        except ValidationError:
            return None

    def clean_ward(self, cleaned, commune, province):
        """The commune as the register names it now; a former name becomes the ward it is part of."""
        found = wards.match(province.code, commune)
        if found is None:
            self.add_error(
                "commune",
                gettext(
                    "“%(commune)s” is not a commune or ward of %(province)s, by its current name or a former "
                    "one. Choose one from the list."
                )
                % {"commune": commune, "province": province.name},
            )
        elif found.candidates:
            self.fields["commune"].widget.candidates = found.candidates
            names = ", ".join(f"“{candidate.ward}”" for candidate in found.candidates)
            if found.candidates[0].former:
                message = gettext(
                    "“%(commune)s” is a former name: its area is now part of %(wards)s. Choose the one your "
                    "address is in."
                )
            else:
                message = gettext("“%(commune)s” could be %(wards)s. Choose the one your address is in.")
            self.add_error("commune", message % {"commune": commune, "wards": names})
        else:
            cleaned["commune"] = found.ward
            if found.former:
                self.ward_notice = gettext(
                    "“%(former)s” is now part of “%(ward)s”: your sample ships to “%(ward)s”, %(province)s."
                ) % {"former": found.former, "ward": found.ward, "province": province.name}

    def save(self, commit=True):
        order = super().save(commit=False)
        order.province = self.cleaned_data.get("province")
        order.commune = self.cleaned_data.get("commune", "")
        order.city = self.cleaned_data.get("city", "")
        order.postal_code = self.cleaned_data.get("postal_code", "")
        if commit:
            order.save()
        return order


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("carrier"), max_length=64)
    tracking_number = forms.CharField(label=_("tracking number"), max_length=64)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=500, required=False)


SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ReviewForm(forms.ModelForm):
    """The buyer's rating of a delivered sample: three scores of 1 to 5 and a plain-text comment."""

    class Meta:
        model = SampleReview
        fields = ["quality", "packaging", "communication", "comment"]
        widgets = {
            "quality": forms.RadioSelect(choices=SCORE_CHOICES),
            "packaging": forms.RadioSelect(choices=SCORE_CHOICES),
            "communication": forms.RadioSelect(choices=SCORE_CHOICES),
            "comment": forms.Textarea(attrs={"rows": 5, "maxlength": COMMENT_CHARS}),
        }
        help_texts = {
            "quality": _("1 poor – 5 excellent: was the sample what the listing promised?"),
            "packaging": _("1 poor – 5 excellent: did it arrive intact and well packed?"),
            "communication": _("1 poor – 5 excellent: did the producer answer and keep you informed?"),
            "comment": _("Optional. Plain text, shown publicly without your name."),
        }


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Public reply"),
        required=False,
        max_length=COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown under the review on the product and producer pages. Leave empty to remove it."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, help_text=_("Kept in the review's history."))
