"""The buyer's sample-order form: quantity, where to ship, who they are, consent, how to pay.

The honeypot, fill-time stamp, one-time form token, phone check and Decree 13 consent are the
inquiry forms' own (marketplace.inquiries.forms); the price is never read from the form.
"""

import functools

import vietnam_provinces

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Province
from catalogue.text import fold

from ..pipeline.forms import BuyerFieldsMixin, ConsentMixin, SpamCheckMixin
from . import pricing
from .models import SampleOrder

CONSENT_NOTICE = _(
    "We keep your name, company, contacts and shipping address only to take your sample order, ship it "
    "and keep the accounts: the producer and the trade-promotion agency see them. Nothing is passed to "
    "anyone else except the carrier. Once the order is closed, they are erased after the period the agency "
    "sets (24 months unless it says otherwise); the amounts and the payment record stay for the accounts. "
    "(Decree 13/2023/NĐ-CP on personal data protection.)"
)
WARD_PREFIXES = ("phuong ", "xa ", "dac khu ")


@functools.cache
def wards_of(province_code):
    """Folded names of the current communes and wards of a province, with and without 'Phường'/'Xã'."""
    names = {}
    for ward in vietnam_provinces.Ward.iter_by_province(vietnam_provinces.ProvinceCode(province_code)):
        folded = fold(ward.name)
        names[folded] = ward.name
        for prefix in WARD_PREFIXES:
            if folded.startswith(prefix):
                names.setdefault(folded.removeprefix(prefix), ward.name)
    return names


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

    def __init__(self, *args, product, order_settings, card_enabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not card_enabled:
            del self.fields["currency"]  # a bank transfer is in đồng; USD is for card payments only
        self.product, self.order_settings, self.quote = product, order_settings, None
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
        self.fields["commune"].help_text = _("Shipping in Vietnam: the commune or ward, e.g. Phường Hải Châu.")
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
                found = wards_of(province.code).get(fold(commune))
                if found is None:
                    self.add_error(
                        "commune",
                        gettext("%(commune)s is not a current commune or ward of %(province)s.")
                        % {"commune": commune, "province": province.name},
                    )
                else:
                    cleaned["commune"] = found
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
