"""The staff's filters: a week of meal counts, a month of occupancy."""

import datetime

from django import forms
from django.utils import timezone

from .meals import WEEK_DAYS, default_range
from .models import Kitchen

MAX_DAYS = 31


class MealCountsForm(forms.Form):
    start = forms.DateField(
        label="À partir du",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    days = forms.TypedChoiceField(
        label="Sur",
        coerce=int,
        choices=[(1, "1 jour"), (WEEK_DAYS, "7 jours"), (14, "14 jours"), (MAX_DAYS, "31 jours")],
    )
    kitchen = forms.ModelChoiceField(
        label="Cuisine",
        queryset=Kitchen.objects.filter(is_active=True),
        required=False,
        empty_label="Toutes les cuisines",
    )

    def __init__(self, data=None, **kwargs):
        start, _end = default_range()
        initial = {"start": start, "days": WEEK_DAYS}
        if data is not None and not data:
            data = None
        super().__init__(data, initial=initial, **kwargs)

    def clean_start(self):
        start = self.cleaned_data["start"]
        today = timezone.localdate()
        if abs((start - today).days) > 366:
            raise forms.ValidationError("Choisissez une date à moins d'un an d'aujourd'hui.")
        return start

    def period(self):
        """``(start, end, kitchen)`` of the valid form, or the default week when unbound."""
        if not self.is_bound:
            start, end = default_range()
            return start, end, None
        data = self.cleaned_data
        start = data["start"]
        return start, start + datetime.timedelta(days=data["days"] - 1), data.get("kitchen")


class MonthForm(forms.Form):
    month = forms.DateField(
        label="Mois",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, data=None, **kwargs):
        if data is not None and not data:
            data = None
        super().__init__(data, initial={"month": timezone.localdate().replace(day=1)}, **kwargs)

    def clean_month(self):
        month = self.cleaned_data["month"]
        today = timezone.localdate()
        if abs(month.year - today.year) > 5:
            raise forms.ValidationError("Choisissez un mois à moins de cinq ans d'aujourd'hui.")
        return month.replace(day=1)

    def chosen_month(self):
        if not self.is_bound:
            return timezone.localdate().replace(day=1)
        return self.cleaned_data["month"]
