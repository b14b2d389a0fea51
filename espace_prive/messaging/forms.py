"""Forms of the family's messages: they parse input; the services decide."""

from django import forms

from espace_prive.uploads import MAX_UPLOAD_BYTES

from .models import MAX_ATTACHMENTS, MAX_BODY_LENGTH, NotificationTopic, Topic

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
FILE_HELP = f"PDF, JPEG ou PNG, {MAX_UPLOAD_BYTES // (1024 * 1024)} Mo au plus chacun."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Votre message",
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_BODY_LENGTH}),
        max_length=MAX_BODY_LENGTH,
        strip=True,
        error_messages={
            "required": "Écrivez votre message.",
            "max_length": f"Votre message compte plus de {MAX_BODY_LENGTH} caractères : "
            "raccourcissez-le ou joignez un document.",
        },
    )
    attachments = MultipleFileField(
        label="Pièces jointes",
        required=False,
        help_text=f"{MAX_ATTACHMENTS} fichiers au plus ; {FILE_HELP}",
    )


class ContactForm(MessageForm):
    topic = forms.ChoiceField(
        label="Sujet",
        choices=[("", "Choisissez…"), *Topic.choices],
        error_messages={
            "required": "Choisissez le sujet de votre message.",
            "invalid_choice": "Choisissez le sujet de votre message dans la liste.",
        },
    )
    subject = forms.CharField(
        label="Objet",
        max_length=200,
        error_messages={
            "required": "Indiquez l'objet de votre message.",
            "max_length": "L'objet compte 200 caractères au plus.",
        },
    )
    field_order = ["topic", "subject", "body", "attachments"]


class PreferencesForm(forms.Form):
    """One checkbox per kind of e-mail a guardian may turn off."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in NotificationTopic.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False)
