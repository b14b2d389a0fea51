"""Forms of the family's documents: they parse input; the services decide."""

from django import forms

from espace_prive.families.models import Child
from espace_prive.uploads import MAX_UPLOAD_BYTES

from .models import DocumentType

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
FILE_HELP = f"PDF, JPEG ou PNG, {MAX_UPLOAD_BYTES // (1024 * 1024)} Mo au plus."


class DocumentUploadForm(forms.Form):
    document_type = forms.ModelChoiceField(
        label="Type de document",
        queryset=DocumentType.objects.none(),
        empty_label="Choisissez…",
        error_messages={
            "required": "Choisissez le type de document.",
            "invalid_choice": "Ce type de document n'existe pas.",
        },
    )
    child = forms.ModelChoiceField(
        label="Enfant concerné",
        queryset=Child.objects.none(),
        required=False,
        empty_label="Toute la famille",
        help_text="Pour un carnet de vaccination, un certificat médical, une assurance…",
        error_messages={"invalid_choice": "Choisissez un de vos enfants."},
    )
    expires_on = forms.DateField(
        label="Valable jusqu'au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Si le document porte une date de fin de validité. Sinon, laissez vide.",
        error_messages={"invalid": "Indiquez une date valide, par exemple 31/08/2027."},
    )
    file = forms.FileField(
        label="Fichier",
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Choisissez le fichier à envoyer."},
    )

    def __init__(self, *args, family, document_types, replacing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = document_types
        self.fields["child"].queryset = Child.objects.filter(family=family).order_by("birth_date")
        self.fields["child"].label_from_instance = lambda child: child.full_name
        if replacing is not None:
            # A replacement keeps its type and child.
            del self.fields["document_type"]
            del self.fields["child"]
        elif not self.fields["child"].queryset.exists():
            del self.fields["child"]
