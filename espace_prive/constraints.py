"""Database constraints in French: what staff and families read when one is not met.

Every constraint of our models carries a French ``violation_error_message``
(tests/test_constraints_in_french.py checks them all). Two helpers use them:

- ``FieldConstraintsMixin`` (models): a violated constraint listed in the model's
  ``constraint_fields`` reports its message under that field, not at the top of the form;
- ``constraint_message(integrity_error)``: the French message of the constraint a
  database write broke (a race the form could not see, or a constraint that lives in
  SQL only), never the constraint's name.
"""

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

# Constraints written in SQL by a migration (Django's model state does not know them).
SQL_ONLY_CONSTRAINTS = {
    "catalogue_tariffgrid_no_overlap": (
        "Cette grille chevauche une autre grille du même service sur cette période : "
        "modifiez les dates de l'une des deux."
    ),
    "catalogue_band_no_overlap": (
        "Des tranches de quotient familial de cette grille se chevauchent : chaque QF "
        "ne doit appartenir qu'à une tranche."
    ),
}
CONFLICT = (
    "Ces informations entrent en conflit avec des données déjà enregistrées (peut-être "
    "par quelqu'un d'autre à l'instant) : vérifiez-les puis enregistrez à nouveau."
)


class FieldConstraintsMixin:
    """Put the message of a violated constraint under the field it is about.

    ``constraint_fields = {"constraint_name": "field_name"}`` on the model.
    """

    constraint_fields = {}

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            field_of = {
                constraint.get_violation_error_message(): self.constraint_fields[constraint.name]
                for constraint in self._meta.constraints
                if constraint.name in self.constraint_fields
            }
            errors = {}
            for key, messages in error.update_error_dict({}).items():
                for message in messages:
                    text = message.message if isinstance(message, ValidationError) else message
                    target = field_of.get(text, key) if key == NON_FIELD_ERRORS else key
                    errors.setdefault(target, []).append(message)
            raise ValidationError(errors) from None


def _unique_field_message(name):
    """PostgreSQL names a column's UNIQUE constraint ``<table>_<column>_key``."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.unique and name == f"{model._meta.db_table}_{field.column}_key":
                return model().unique_error_message(model, (field.name,)).messages[0]
    return None


def constraint_message(error):
    """The French message of the constraint an ``IntegrityError`` reports."""
    diagnostic = getattr(error.__cause__, "diag", None)
    name = getattr(diagnostic, "constraint_name", None)
    if not name:
        return CONFLICT
    if name in SQL_ONLY_CONSTRAINTS:
        return SQL_ONLY_CONSTRAINTS[name]
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return constraint.get_violation_error_message()
    return _unique_field_message(name) or CONFLICT
