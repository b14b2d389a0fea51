"""Forms of the menus' fast entry in the admin."""

import datetime

from django import forms
from django.utils import timezone

from .models import MenuGroup, MenusIndexPage, MenuWeekPage
from .services import CSV_MAX_BYTES
from .weeks import menu_week_error


class WeekPageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_admin_display_title()


def _menus_indexes_for(user):
    return [
        index
        for index in MenusIndexPage.objects.order_by("path")
        if index.permissions_for_user(user).can_add_subpage()
    ]


class MenuCopyForm(forms.Form):
    source = WeekPageChoiceField(
        label="Semaine à copier",
        queryset=MenuWeekPage.objects.order_by("-week_start", "menu_group__name"),
        error_messages={"required": "Choisissez la semaine à copier."},
    )
    week = forms.DateField(
        label="Nouvelle semaine",
        help_text="N'importe quel jour de la semaine à créer (le lundi est retenu).",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Choisissez la semaine à créer.",
            "invalid": "Saisissez une date valide.",
        },
    )
    menu_group = forms.ModelChoiceField(
        label="Cuisine",
        queryset=MenuGroup.objects.all(),
        required=False,
        help_text="Laissez vide si la commune n'a qu'une cuisine.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not MenuGroup.objects.exists():
            del self.fields["menu_group"]

    def clean_week(self):
        week = self.cleaned_data["week"]
        if message := menu_week_error(week, today=timezone.localdate()):
            raise forms.ValidationError(message)
        return week

    def clean_source(self):
        source = self.cleaned_data["source"]
        if not source.get_parent().permissions_for_user(self.user).can_add_subpage():
            raise forms.ValidationError("Vous ne pouvez pas ajouter de menus à cet endroit.")
        return source


class MenuImportForm(forms.Form):
    index = forms.ModelChoiceField(
        label="Page des menus", queryset=MenusIndexPage.objects.none(), empty_label=None
    )
    menu_group = forms.ModelChoiceField(
        label="Cuisine",
        queryset=MenuGroup.objects.all(),
        required=False,
        help_text="Laissez vide si la commune n'a qu'une cuisine.",
    )
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes : date;type;plat;labels;allergènes — une ligne par plat.",
        error_messages={"required": "Choisissez un fichier CSV."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        indexes = _menus_indexes_for(user)
        self.fields["index"].queryset = MenusIndexPage.objects.filter(
            pk__in=[index.pk for index in indexes]
        )
        if len(indexes) == 1:
            self.fields["index"].initial = indexes[0].pk
            self.fields["index"].widget = forms.HiddenInput()
        if not MenuGroup.objects.exists():
            del self.fields["menu_group"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError("Le fichier est trop gros (512 Ko au plus).")
        return upload


class MenuImportConfirmForm(MenuImportForm):
    """The checked file comes back as text in a hidden field: nothing is stored between
    the preview and the confirmation."""

    csv_text = forms.CharField(widget=forms.HiddenInput(), max_length=CSV_MAX_BYTES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["file"]


def default_copy_week(source):
    return source.week_start + datetime.timedelta(days=7)
