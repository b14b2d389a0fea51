"""Forms of the family file: one per section, with exactly the section's fields.

The same forms validate the pages and the API, so both give the same French errors.
A form never saves: its values go to ``demandes.services.request_create``.
"""

import copy
import datetime
from functools import cache

from django import forms
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from espace_prive import uploads
from espace_prive.catalogue.models import SCHOOL_KINDS, Site
from espace_prive.form_fields import FrenchDecimalField

from .models import Child, HealthRecord
from .sections import SECTIONS, Operation
from .validators import normalize_bic, normalize_iban, validate_child_birth_date

YES_NO = [("oui", "Oui"), ("non", "Non")]
# Questions a family must answer when it fills the section in.
REQUIRED_ANSWERS = {"photo_rights", "may_leave_alone", "emergency_care", "transport", "has_pai"}


class TelInput(forms.TextInput):
    """A phone number: ``type="tel"`` (the phone keypad), once; browsers may fill it in."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "tel", "autocomplete": "tel", **(attrs or {})})


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 .\-]{5,19}$",
    "Saisissez un numéro de téléphone (chiffres, espaces ou points), par exemple 06 12 34 56 78.",
)
postcode_validator = RegexValidator(
    r"^[0-9A-Za-z \-]{4,10}$", "Saisissez un code postal valide, par exemple 45000."
)
# The database's plausibility constraints, checked first so that the family reads why.
EARLIEST_DATES = {
    (Child, "birth_date"): (
        datetime.date(1990, 1, 1),
        "Cette date de naissance n'est pas plausible pour un enfant : vérifiez l'année.",
    ),
    (HealthRecord, "last_dtp_booster"): (
        datetime.date(1990, 1, 1),
        "Cette date de rappel n'est pas plausible : vérifiez l'année.",
    ),
}
TAX_YEARS_BACK = 5
PHONE_FIELDS = {
    "mobile_phone",
    "home_phone",
    "work_phone",
    "employer_phone",
    "doctor_phone",
    "phone",
}
AUTOCOMPLETE = {
    "address": "street-address",
    "postcode": "postal-code",
    "city": "address-level2",
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "mobile_phone": "tel",
    "home_phone": "tel",
    "account_holder": "cc-name",
    "profession": "organization-title",
    "employer_name": "organization",
}


def _yes_no(model_field, *, required):
    choices = YES_NO if required else [*YES_NO, ("", "Je ne sais pas")]
    return forms.TypedChoiceField(
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
        choices=choices,
        coerce=lambda value: value == "oui",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )


class SectionForm(forms.ModelForm):
    """Base of every section form; ``section`` and ``operation`` are set by the factory."""

    section = None
    operation = Operation.UPDATE

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None:
            # The form validates a copy: the row itself stays as it is until staff accept.
            kwargs["instance"] = copy.copy(instance)
            self.original = instance
        else:
            self.original = None
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            if name in AUTOCOMPLETE:
                attrs.setdefault("autocomplete", AUTOCOMPLETE[name])
            if name in PHONE_FIELDS:
                field.validators.append(phone_validator)
                field.widget = TelInput({**attrs, "autocomplete": "tel"})
            if name == "postcode":
                field.validators.append(postcode_validator)
                attrs["inputmode"] = "numeric"
            if (self._meta.model, name) == (Child, "birth_date"):
                field.validators.append(validate_child_birth_date)
            earliest = EARLIEST_DATES.get((self._meta.model, name))
            if earliest:
                field.validators.append(MinValueValidator(earliest[0], earliest[1]))
            if field.help_text:
                attrs["aria-describedby"] = f"id_{name}_aide"
        if "school" in self.fields:
            current = getattr(self.instance, "school_id", None)
            self.fields["school"].queryset = Site.objects.filter(
                Q(kind__in=SCHOOL_KINDS, is_active=True) | Q(pk=current)
            ).order_by("name")
            if current and not self.is_bound:
                self.initial["school"] = self.instance.school.public_id
        for name, field in self.fields.items():
            if isinstance(field, forms.TypedChoiceField) and name in self.initial:
                value = self.initial[name]
                if isinstance(value, bool):
                    self.initial[name] = "oui" if value else "non"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget_attrs = self.fields[name].widget.attrs
                widget_attrs["aria-invalid"] = "true"
                described = widget_attrs.get("aria-describedby", "")
                widget_attrs["aria-describedby"] = f"{described} id_{name}_erreur".strip()

    def clean_iban(self):
        return normalize_iban(self.cleaned_data.get("iban"))

    def clean_bic(self):
        return normalize_bic(self.cleaned_data.get("bic"))

    def clean_tax_shares(self):
        shares = self.cleaned_data.get("tax_shares")
        if shares is not None and shares <= 0:
            raise forms.ValidationError("Le nombre de parts doit être supérieur à 0.")
        return shares

    def clean_tax_year(self):
        """The year of the income on the avis d'impôt: a past year, not a future one."""
        year = self.cleaned_data.get("tax_year")
        if year is None:
            return year
        current = timezone.localdate().year
        if year > current:
            raise forms.ValidationError(
                f"L'année des revenus ne peut pas être dans le futur ({current} au plus)."
            )
        if year < current - TAX_YEARS_BACK:
            raise forms.ValidationError(
                f"Reportez votre dernier avis d'impôt : l'année des revenus est au plus tôt "
                f"{current - TAX_YEARS_BACK}."
            )
        return year

    def clean_tax_number(self):
        return (self.cleaned_data.get("tax_number") or "").replace(" ", "")

    def values(self):
        """The values to propose, for ``request_create``: files only when one was sent."""
        result = {}
        for name in self.section.fields:
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if name in self.section.file_fields and value is None:
                continue
            result[name] = value
        return result


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.BooleanField):
        required = model_field.name in REQUIRED_ANSWERS or not model_field.null
        return _yes_no(model_field, required=required)
    if isinstance(model_field, models.DateField):
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    if isinstance(model_field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
    if isinstance(model_field, models.DecimalField):
        # Amounts, quotient and shares are never negative (database constraints).
        kwargs.update(form_class=FrenchDecimalField, min_value=0)
    if model_field.name == "school":
        return forms.ModelChoiceField(
            queryset=Site.objects.none(),
            to_field_name="public_id",
            required=False,
            label="École",
            empty_label="Autre école ou non scolarisé",
        )
    return model_field.formfield(**kwargs)


def _document_field(model_field):
    return forms.FileField(
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text or "PDF, JPEG ou PNG, 5 Mo au plus.",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,image/jpeg,image/png"}),
    )


class CafForm(SectionForm):
    def clean_qf_proof(self):
        uploaded = self.cleaned_data.get("qf_proof")
        return uploads.process_document(uploaded) if uploaded else None

    def clean(self):
        cleaned = super().clean()
        new_qf = cleaned.get("quotient_familial")
        old_qf = self.original.quotient_familial if self.original else None
        if new_qf is not None and new_qf != old_qf and not cleaned.get("qf_proof"):
            self.add_error(
                "qf_proof",
                "Joignez l'attestation de la CAF ou de la MSA qui indique ce quotient familial.",
            )
        return cleaned


class PaiForm(SectionForm):
    def clean_pai_document(self):
        uploaded = self.cleaned_data.get("pai_document")
        return uploads.process_document(uploaded) if uploaded else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_pai") is False:
            # No PAI any more: its description and document go with it.
            cleaned["pai_details"] = ""
            cleaned["pai_document"] = ""
        return cleaned


class ChildNewForm(SectionForm):
    """Adding a child: the family it joins is set by the view, never by the form."""

    def clean(self):
        cleaned = super().clean()
        first_name, birth_date = cleaned.get("first_name"), cleaned.get("birth_date")
        family = self.instance.family
        if (
            first_name
            and birth_date
            and family.children.filter(
                first_name__iexact=first_name, birth_date=birth_date
            ).exists()
        ):
            self.add_error(
                "first_name",
                "Cet enfant figure déjà dans votre dossier (même prénom, même date de naissance).",
            )
        elif first_name and birth_date and _child_addition_pending(family, first_name, birth_date):
            self.add_error(
                "first_name",
                "L'ajout de cet enfant (même prénom, même date de naissance) est déjà en attente "
                "de validation : attendez la réponse du service.",
            )
        return cleaned


def _child_addition_pending(family, first_name, birth_date):
    from espace_prive.demandes.models import ChangeRequest, RequestState

    pending = ChangeRequest.objects.filter(
        family=family, section="child_new", state=RequestState.PENDING
    )
    return any(
        (r.changes.get("first_name", {}).get("new") or "").casefold() == first_name.casefold()
        and r.changes.get("birth_date", {}).get("new") == birth_date.isoformat()
        for r in pending
    )


class PhotoForm(forms.Form):
    section = SECTIONS["child_photo"]
    operation = Operation.UPDATE

    photo = forms.FileField(
        label="Nouvelle photo",
        help_text="JPEG ou PNG, 5 Mo au plus. Elle est recadrée à 800 pixels.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png", "aria-describedby": "id_photo_aide"}
        ),
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.original = instance
        super().__init__(*args, **kwargs)

    def clean_photo(self):
        return uploads.process_photo(self.cleaned_data["photo"])

    def values(self):
        return {"photo": self.cleaned_data["photo"]}


FORM_BASES = {"family_caf": CafForm, "health_pai": PaiForm, "child_new": ChildNewForm}


@cache
def section_form_class(key):
    """The form of section ``key``: exactly its fields, nothing a family may not set."""
    section = SECTIONS[key]
    if key == "child_photo":
        return PhotoForm
    base = FORM_BASES.get(key, SectionForm)
    model_fields = [name for name in section.fields if name not in section.file_fields]
    meta = type(
        "Meta",
        (),
        {
            "model": section.model,
            "fields": model_fields,
            "formfield_callback": staticmethod(_formfield),
        },
    )
    attrs = {"Meta": meta, "section": section, "operation": section.operations[0]}
    for name in section.file_fields:
        attrs[name] = _document_field(section.field(name))
    form_class = type(f"{key.title().replace('_', '')}Form", (base,), attrs)
    # The declared order is the section's order, files included.
    form_class.base_fields = {name: form_class.base_fields[name] for name in section.fields}
    return form_class
