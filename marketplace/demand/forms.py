"""The period (and grouping) every demand figure is filtered by; bad dates are form errors."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .figures import DIMENSIONS

DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most three years."))
        data["start"], data["end"] = start, end
        return data

    def period(self):
        """(start, end): the chosen period, or the last 90 days if the form is not valid."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        end = timezone.localdate()
        return end - datetime.timedelta(days=DEFAULT_DAYS - 1), end


class AgencyPeriodForm(PeriodForm):
    by = forms.ChoiceField(label=_("Group by"), choices=list(DIMENSIONS.items()), required=False)

    def dimension(self):
        by = self.cleaned_data.get("by") if self.is_valid() else ""
        return by or "group"
