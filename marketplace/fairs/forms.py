"""The buyer's meeting request, and the admin forms of exhibiting (apply, decide, answer)."""

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.access import is_agency, producers_for, products_for
from catalogue.models import ProductPage

from ..pipeline.forms import BuyerFieldsMixin, ConsentMixin, SpamCheckMixin, limit_message
from .models import FAIR_TZ, Exhibitor, MeetingRequest

MEETING_CONSENT_NOTICE = _(
    "We keep your name, company, contacts and message only to arrange this meeting: the exhibitor "
    "and the trade-promotion agency see them, nobody else. They are erased after the period the agency "
    "sets for inquiries after the fair; you can delete them at any time with the link in our emails. "
    "(Decree 13/2023/NĐ-CP on personal data protection.)"
)


def slot_label(start, end):
    start, end = timezone.localtime(start, FAIR_TZ), timezone.localtime(end, FAIR_TZ)
    return f"{date_format(start, 'D d/m/Y')} {start:%H:%M}–{end:%H:%M}"


class MeetingRequestForm(BuyerFieldsMixin, SpamCheckMixin, ConsentMixin, forms.ModelForm):
    form_kind = "meeting"
    # A select of the open slots, checked in clean_slot: a slot taken meanwhile gets its own message.
    # No max_length: clean_slot accepts only an open slot's key, and a select may not carry maxlength.
    slot = forms.CharField(label=_("time slot (Vietnam time)"), widget=forms.Select)

    class Meta:
        model = MeetingRequest
        fields = ["name", "company", "email", "phone", "country", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, exhibitor, **kwargs):
        super().__init__(*args, **kwargs)
        self.exhibitor = exhibitor
        self.slots = {start.isoformat(): (start, end) for start, end in exhibitor.open_slots()}
        self.fields["slot"].widget.choices = [("", "—")] + [(key, slot_label(*s)) for key, s in self.slots.items()]
        self.fields["message"].required = True
        limit_message(self)
        self.order_fields(["slot", "name", "company", "email", "phone", "country", "message"])

    def clean_slot(self):
        key = self.cleaned_data.get("slot")
        if key not in self.slots:
            try:
                start = parse_datetime(key or "")
            except ValueError:
                start = None
            if start is not None and any(s == start for s, _ in self.exhibitor.fair.slots()):
                raise forms.ValidationError(gettext("That slot was just taken. Please choose another."), code="taken")
            raise forms.ValidationError(gettext("Choose one of the open slots."), code="slot")
        return self.slots[key]


class ApplyForm(forms.Form):
    """A producer's application to exhibit: for which producer, with which of its products."""

    producer = forms.ModelChoiceField(queryset=None, label=_("producer"))
    products = forms.ModelMultipleChoiceField(
        queryset=None, label=_("products to show"), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("message to the agency"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, fair, producer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fair = fair
        applied = fair.exhibitors.values("producer")
        producers = producers_for(user).exclude(pk__in=applied)
        self.fields["producer"].queryset = producers
        # Only listed products: a fair shows what a buyer can find and check. The agency, which
        # acts for every producer, picks the producer first so the list stays one producer's.
        products = ProductPage.objects.visible().filter(pk__in=products_for(user).values("pk"))
        if producer is not None:
            products = products.filter(producer=producer)
            self.fields["producer"].initial = producer.pk
        elif is_agency(user):
            products = products.none()
        self.fields["products"].queryset = products.order_by("title")

    def clean(self):
        cleaned = super().clean()
        producer, products = cleaned.get("producer"), cleaned.get("products")
        if producer and products and any(p.producer_id != producer.pk for p in products):
            self.add_error("products", gettext("Choose only products of the producer that applies."))
        return cleaned


class DecideForm(forms.ModelForm):
    """The agency's answer: accept with a zone and booth, or decline, with a note."""

    class Meta:
        model = Exhibitor
        fields = ["status", "zone", "booth", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = self.instance.fair.zones.all()
        self.fields["booth"].help_text = _("Unique within the fair, e.g. A12.")

    def clean_booth(self):
        return (self.cleaned_data.get("booth") or "").strip().upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Exhibitor.Status.DECLINED:
            cleaned["booth"] = ""
            cleaned["zone"] = None
        return cleaned


class MeetingDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))])
    note = forms.CharField(
        label=_("note to the buyer"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
