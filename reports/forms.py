from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.queries import live_categories
from reports.queries import Period


class PeriodForm(forms.Form):
    """The filter every report has: a date range (both ends included) and a category."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=live_categories(), required=False, empty_label=_("All")
    )

    MAX_DAYS = 370

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        if start and end and (end - start).days > self.MAX_DAYS:
            raise forms.ValidationError(_("Choose at most a year."))
        return data

    def period(self) -> Period:
        default = Period.last_weeks()
        if not self.is_valid():
            return default
        data = self.cleaned_data

        def aware(day):
            return timezone.make_aware(datetime.combine(day, datetime.min.time()))

        end = aware(data["end"] + timedelta(days=1)) if data.get("end") else default.end
        start = aware(data["start"]) if data.get("start") else end - timedelta(weeks=8)
        return Period(start, end, data.get("category"))
