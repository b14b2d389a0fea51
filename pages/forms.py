"""Forms of the public site (query parameters) and of the menus' fast entry in the admin.

Every field is listed; errors are French and shown next to the field and in a summary.
"""

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from espace_prive.form_fields import parse_french_decimal

from .weeks import iso_week_code, menu_week_error, monday_of, week_label

# --- Public site -------------------------------------------------------------------------


class PageNumberField(forms.IntegerField):
    default_error_messages = {
        "invalid": "Le numéro de page doit être un nombre entier.",
        "min_value": "Le numéro de page commence à 1.",
        "max_value": "Ce numéro de page est trop grand.",
    }

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, max_value=10_000, **kwargs)


class NewsFilterForm(forms.Form):
    categorie = forms.ChoiceField(
        label="Catégorie",
        required=False,
        error_messages={"invalid_choice": "Cette catégorie n'existe pas."},
    )
    page = PageNumberField(label="Page")

    def __init__(self, data=None, *, categories):
        super().__init__(data)
        self.categories = {category.slug: category for category in categories}
        self.fields["categorie"].choices = [("", "Toutes les catégories")] + [
            (category.slug, category.name) for category in categories
        ]

    def clean_categorie(self):
        slug = self.cleaned_data.get("categorie")
        return self.categories.get(slug) if slug else None


class MenuDayForm(forms.Form):
    jour = forms.DateField(
        label="Afficher les menus de la semaine du",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Choisissez un jour.",
            "invalid": "Saisissez une date valide, par exemple 24/11/2026.",
        },
    )

    def clean_jour(self):
        day = self.cleaned_data["jour"]
        if message := menu_week_error(day, today=timezone.localdate()):
            raise forms.ValidationError(message)
        return day


QF_MAXIMUM = 99_999


class TariffSimulatorForm(forms.Form):
    RESIDENT = "commune"
    NON_RESIDENT = "exterieur"

    quotient = forms.CharField(
        label="Votre quotient familial (QF)",
        required=False,
        max_length=20,
        help_text="Il figure sur votre attestation de la CAF ou de la MSA. Laissez vide si "
        "vous n'avez pas de quotient familial à jour.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    residence = forms.ChoiceField(
        label="Vous habitez",
        choices=[(RESIDENT, "la commune"), (NON_RESIDENT, "une autre commune")],
        initial=RESIDENT,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Indiquez si vous habitez la commune ou une autre commune.",
        },
    )

    def clean_residence(self):
        return self.cleaned_data.get("residence") or self.RESIDENT

    def clean_quotient(self):
        """« 850 », « 1 234,50 », « 850,5 » or « 850.5 »: a ``Decimal`` (an ``int`` when
        whole), None when left empty."""
        text = self.cleaned_data.get("quotient") or ""
        try:
            value = parse_french_decimal(text)
        except ValueError:
            raise forms.ValidationError(
                "Le quotient familial est un nombre, par exemple 850 ou 850,50."
            ) from None
        if value is None:
            return None
        if value < 0:
            raise forms.ValidationError("Le quotient familial ne peut pas être négatif.")
        if value > QF_MAXIMUM:
            raise forms.ValidationError(
                f"Ce quotient familial semble trop élevé (au plus {QF_MAXIMUM:_}).".replace(
                    "_", "\u202f"
                )
            )
        return int(value) if value == value.to_integral_value() else value


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher sur le site",
        max_length=100,
        error_messages={
            "required": "Saisissez un ou plusieurs mots à rechercher.",
            "max_length": "Votre recherche est trop longue (100 caractères au plus).",
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    page = PageNumberField(label="Page")

    def clean_q(self):
        query = " ".join(self.cleaned_data["q"].split())
        if not query:
            raise forms.ValidationError("Saisissez un ou plusieurs mots à rechercher.")
        return query


# --- Admin: menus ------------------------------------------------------------------------


class MenuWeekPageForm(WagtailAdminPageForm):
    """The title and slug of a week page are written for the editor when left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Laissez vide : « Menus de la semaine du … »."
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean_week_start(self):
        week_start = self.cleaned_data.get("week_start")
        if week_start and (message := menu_week_error(week_start, today=timezone.localdate())):
            raise forms.ValidationError(message)
        return week_start

    def clean(self):
        week_start = self.cleaned_data.get("week_start")
        if week_start and not self.cleaned_data.get("title"):
            title = f"Menus de la {week_label(monday_of(week_start))}"
            group = self.cleaned_data.get("menu_group")
            if group is not None:
                title += f" — {group.name}"
            self.cleaned_data["title"] = title
        if week_start and not self.cleaned_data.get("slug"):
            slug = iso_week_code(week_start).lower()
            group = self.cleaned_data.get("menu_group")
            self.cleaned_data["slug"] = f"{slug}-{group.slug}" if group is not None else slug
        return super().clean()
