"""Form fields shared by the family pages, the staff admin and the public site.

``FrenchDecimalField`` reads numbers as French people type them: « 1 234,50 », « 850,5 »
(comma or point, spaces, no-break or narrow no-break spaces between thousands).
``LocalizedDecimalsAdminForm`` is the base of admin forms whose decimals (prices) are
typed that way, in the form itself and in its inline panels.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import models
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.models import WagtailAdminModelFormMetaclass, formfield_for_dbfield

_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_french_decimal(text):
    """``Decimal`` of « 1 234,50 » (None for a blank text); ``ValueError`` otherwise."""
    raw = _SPACES.sub("", str(text))
    if raw == "":
        return None
    if not re.fullmatch(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)", raw):
        raise ValueError(text)
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None


class FrenchDecimalField(forms.DecimalField):
    """Accepts "1 234,50" as people write it (spaces between thousands, decimal comma).

    Rendered as a text input with the decimal keypad (a number input would refuse the
    comma in some browsers).
    """

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs["localize"] = True
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "decimal")
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = _SPACES.sub("", value).replace(",", ".")
        return super().to_python(value)


def localized_formfield(db_field, **kwargs):
    """Wagtail's form field for ``db_field``, a ``FrenchDecimalField`` for decimals."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", FrenchDecimalField)
    return formfield_for_dbfield(db_field, **kwargs)


def _localize_decimals(form_class):
    """Give ``form_class`` (a model form class made for one formset) French decimals."""
    model = form_class._meta.model
    for name, field in list(form_class.base_fields.items()):
        if isinstance(field, forms.DecimalField) and not isinstance(field, FrenchDecimalField):
            form_class.base_fields[name] = localized_formfield(model._meta.get_field(name))


class _LocalizedDecimalsMetaclass(WagtailAdminModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        for formset in getattr(new_class, "formsets", {}).values():  # the inline panels
            _localize_decimals(formset.form)
        return new_class


class LocalizedDecimalsAdminForm(WagtailAdminModelForm, metaclass=_LocalizedDecimalsMetaclass):
    class Meta:
        formfield_callback = localized_formfield
