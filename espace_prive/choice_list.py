"""A list of choices stored as JSON (works the same on SQLite and PostgreSQL): a dish's
allergens and labels on the public site, a child's allergens in the health record."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models


class ChoiceListField(models.JSONField):
    """A JSON list whose items are values of ``choices_class`` (a TextChoices).

    Edited as checkboxes; refuses unknown values and duplicates.
    """

    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value in (None, ""):
            return
        if not isinstance(value, list):
            raise ValidationError("Une liste est attendue.", code="invalid")
        allowed = set(self.choices_class.values) if self.choices_class else None
        unknown = [item for item in value if allowed is not None and item not in allowed]
        if unknown:
            raise ValidationError(
                "Valeur inconnue : %(values)s.",
                code="invalid_choice",
                params={"values": ", ".join(map(str, unknown))},
            )
        if len(set(value)) != len(value):
            raise ValidationError("Une valeur est répétée.", code="duplicate")

    def formfield(self, **kwargs):
        if self.choices_class is None:
            return super().formfield(**kwargs)
        defaults = {
            "choices": self.choices_class.choices,
            "widget": forms.CheckboxSelectMultiple,
            "required": not self.blank,
            "label": self.verbose_name.capitalize(),
            "help_text": self.help_text,
        }
        return forms.TypedMultipleChoiceField(**defaults)
