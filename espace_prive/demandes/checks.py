"""System checks: the sections configured to apply without validation must exist, allow
updates, and never hold the quotient familial."""

from django.conf import settings
from django.core import checks

from espace_prive.families.sections import SECTIONS, Operation


@checks.register()
def auto_apply_sections_exist(app_configs, **kwargs):
    errors = []
    for key in getattr(settings, "DEMANDES_AUTO_APPLY_SECTIONS", []):
        section = SECTIONS.get(key)
        if section is None:
            errors.append(
                checks.Error(
                    f"DEMANDES_AUTO_APPLY_SECTIONS names an unknown section: {key!r}.",
                    hint="Known sections: " + ", ".join(sorted(SECTIONS)),
                    id="demandes.E001",
                )
            )
        elif not section.allows(Operation.UPDATE):
            errors.append(
                checks.Error(
                    f"Section {key!r} only adds or removes rows; additions are always validated.",
                    id="demandes.E002",
                )
            )
        elif section.always_validated:
            errors.append(
                checks.Error(
                    f"Section {key!r} holds the quotient familial, which staff always validate.",
                    hint="Remove it from DEMANDES_AUTO_APPLY_SECTIONS.",
                    id="demandes.E003",
                )
            )
    return errors
