"""Base classes for our Wagtail snippet viewsets: staff read French, never Python.

- listings show a boolean field as « Oui » / « Non » (Wagtail prints True/False);
- a database constraint broken on save (a race the form could not see, an exclusion
  constraint that lives in SQL only) becomes a French error on the form, not a 500.

Each app's ``wagtail_hooks.py`` derives its snippet viewsets from ``SnippetViewSet`` here
and its other model viewsets from ``ModelViewSet`` (listings and inspect views in French).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets import model as model_viewsets
from wagtail.snippets.views import snippets

from .constraints import constraint_message


def yes_no(value):
    if value is None:
        return "—"
    return "Oui" if value else "Non"


class YesNoColumnsMixin:
    """For any Wagtail listing of a model: boolean columns read « Oui » / « Non »."""

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        column = super()._get_custom_column(field_name, column_class, **kwargs)
        try:
            field = self.model._meta.get_field(field_name)
        except FieldDoesNotExist:  # a method or a lookup across a relation: as it is
            return column
        if isinstance(field, models.BooleanField):
            column.accessor = lambda instance: yes_no(getattr(instance, field_name))
        return column


class YesNoInspectMixin:
    """For any Wagtail inspect view: a boolean field reads « Oui » / « Non »."""

    def get_field_display_value(self, field_name, field):
        if isinstance(field, models.BooleanField):
            return yes_no(getattr(self.object, field_name))
        return super().get_field_display_value(field_name, field)


class YesNoIndexView(YesNoColumnsMixin, snippets.IndexView):
    pass


class ModelIndexView(YesNoColumnsMixin, generic.IndexView):
    pass


class InspectView(YesNoInspectMixin, generic.InspectView):
    pass


class SnippetInspectView(YesNoInspectMixin, snippets.InspectView):
    pass


class ConstraintErrorsMixin:
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError as error:  # rolled back by the view's own atomic block
            form.add_error(None, constraint_message(error))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class CreateView(ConstraintErrorsMixin, snippets.CreateView):
    pass


class EditView(ConstraintErrorsMixin, snippets.EditView):
    pass


class SnippetViewSet(snippets.SnippetViewSet):
    index_view_class = YesNoIndexView
    inspect_view_class = SnippetInspectView
    add_view_class = CreateView
    edit_view_class = EditView


class ModelViewSet(model_viewsets.ModelViewSet):
    """A model viewset of the admin (not a snippet): French listings and inspect views."""

    index_view_class = ModelIndexView
    inspect_view_class = InspectView
