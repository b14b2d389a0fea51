"""Import of existing families from a checked plan."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from espace_prive.families import services as family_services

from ..audit import audit_record
from ..models import AuditEvent
from .base import AccountError
from .invitations import invitation_prepare_letter, invitation_send_email

Kind = AuditEvent.Kind


@transaction.atomic
def families_import(*, actor, plan, ip=None, user_agent=""):
    """Create the families of a checked ``ImportPlan`` and invite their guardians.

    All or nothing. Families already present (same reference) are not in
    ``plan.to_create``: importing the same file again changes nothing.
    """
    if not plan.ok:
        raise AccountError("Le fichier contient des erreurs : rien n'a été importé.")
    summary = {"families": 0, "guardians": 0, "children": 0, "emails": 0, "letters": 0}
    try:
        for row in plan.to_create:
            family = family_services.family_create(
                actor=actor,
                reference=row.reference,
                address=row.address,
                address_complement=row.address_complement,
                postcode=row.postcode,
                city=row.city,
            )
            summary["families"] += 1
            guardians = []
            for item in row.guardians:
                guardians.append(
                    family_services.guardian_add(
                        actor=actor,
                        family=family,
                        role=item.role,
                        civility=item.civility,
                        first_name=item.first_name,
                        last_name=item.last_name,
                        email=item.email,
                        mobile_phone=item.phone,
                    )
                )
                summary["guardians"] += 1
            for child in row.children:
                family_services.child_add(
                    actor=actor,
                    family=family,
                    first_name=child.first_name,
                    last_name=child.last_name,
                    birth_date=child.birth_date,
                )
                summary["children"] += 1
            for guardian in guardians:
                if guardian.email:
                    invitation_send_email(
                        actor=actor, guardian=guardian, ip=ip, user_agent=user_agent
                    )
                    summary["emails"] += 1
                else:
                    invitation_prepare_letter(actor=actor, guardian=guardian)
                    summary["letters"] += 1
    except (ValidationError, IntegrityError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise AccountError(
            f"Import interrompu ligne {row.line} ({row.reference}) : {' '.join(messages)} "
            "Rien n'a été importé."
        ) from None
    audit_record(
        Kind.FAMILIES_IMPORTED,
        ip=ip,
        user_agent=user_agent,
        actor=actor,
        details={**summary, "unchanged": len(plan.unchanged)},
    )
    return summary
