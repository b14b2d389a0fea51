"""Forms of the family's bookings pages: they parse input; the services decide."""

import datetime

from django import forms

from espace_prive.families.models import Child
from espace_prive.uploads import MAX_UPLOAD_BYTES

from .models import AbsenceReason

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
DATE_ERRORS = {
    "required": "Indiquez une date.",
    "invalid": "Indiquez une date valide, par exemple 11/01/2027.",
}
WEEKDAYS = [
    (0, "Lundi"),
    (1, "Mardi"),
    (2, "Mercredi"),
    (3, "Jeudi"),
    (4, "Vendredi"),
    (5, "Samedi"),
]


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
        **kwargs,
    )


def _children_field(family, label="Enfant"):
    field = forms.ModelChoiceField(
        label=label,
        queryset=Child.objects.filter(family=family).order_by("birth_date"),
        empty_label="Choisissez…",
        to_field_name="public_id",
        error_messages={
            "required": "Choisissez l'enfant.",
            "invalid_choice": "Choisissez un de vos enfants.",
        },
    )
    field.label_from_instance = lambda child: child.full_name
    return field


class EnrolmentForm(forms.Form):
    """A child, then one (school year, service, site) of ``enrolment_options``."""

    child = forms.Field()
    option = forms.ChoiceField(
        label="Service et lieu d'accueil",
        error_messages={
            "required": "Choisissez le service et le lieu d'accueil.",
            "invalid_choice": "Ce service n'est pas proposé à l'inscription.",
        },
    )
    notes = forms.CharField(
        label="Message au service",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Facultatif : jours prévus, précisions utiles au service.",
        error_messages={"max_length": "Le message fait au plus 2000 caractères."},
    )

    def __init__(self, *args, family, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"] = _children_field(family)
        self.order_fields(["child", "option", "notes"])
        self.options = {}
        choices = [("", "Choisissez…")]
        for year, service, sites in options:
            group = []
            for site in sites:
                key = f"{year.pk}-{service.pk}-{site.pk}"
                self.options[key] = (year, service, site)
                group.append((key, f"{service.name} — {site.name}"))
            if group:
                choices.append((f"Année scolaire {year.label}", group))
        self.fields["option"].choices = choices

    def clean(self):
        data = super().clean()
        if "option" in data:
            data["school_year"], data["service"], data["site"] = self.options[data["option"]]
        return data


class PatternForm(forms.Form):
    """Units of the child, weekdays, a date range."""

    units = forms.MultipleChoiceField(
        label="Activités",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins une activité.",
            "invalid_choice": "Cette activité n'est pas proposée à votre enfant.",
        },
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Jours de la semaine",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un jour de la semaine.",
            "invalid_choice": "Ce jour de la semaine n'existe pas.",
        },
    )
    start = _date_field("Du")
    end = _date_field("Au (inclus)")

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(unit.public_id): unit for _enrolment, unit in pairs}
        self.fields["units"].choices = [
            (str(unit.public_id), f"{unit.name} ({unit.service.name})") for _e, unit in pairs
        ]

    def clean(self):
        data = super().clean()
        if "units" in data:
            data["unit_objects"] = [self.units[key] for key in data["units"]]
        return data


class AbsenceForm(forms.Form):
    child = forms.Field()
    reason = forms.ModelChoiceField(
        label="Motif",
        queryset=AbsenceReason.objects.none(),
        empty_label="Choisissez…",
        error_messages={
            "required": "Choisissez le motif de l'absence.",
            "invalid_choice": "Ce motif n'est pas proposé.",
        },
    )
    details = forms.CharField(
        label="Précisions",
        required=False,
        max_length=255,
        help_text="Obligatoire pour le motif « Autre ».",
        error_messages={"max_length": "Les précisions font au plus 255 caractères."},
    )
    first_day = _date_field("Premier jour d'absence")
    last_day = _date_field(
        "Dernier jour d'absence", required=False, help_text="Laissez vide pour un seul jour."
    )
    certificate = forms.FileField(
        label="Justificatif (certificat médical)",
        required=False,
        help_text=f"Facultatif. PDF, JPEG ou PNG, {MAX_UPLOAD_BYTES // (1024 * 1024)} Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, family, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"] = _children_field(family)
        self.fields["reason"].queryset = reasons
        self.order_fields(["child", "reason", "details", "first_day", "last_day", "certificate"])

    def clean(self):
        data = super().clean()
        if data.get("first_day") and not data.get("last_day"):
            data["last_day"] = data["first_day"]
        return data


def parse_month(value, today):
    """``2027-01`` → the first of that month; today's month when missing or malformed,
    limited to five years around today."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)
    if abs(first.year - today.year) > 5:
        return today.replace(day=1)
    return first
