"""What every write of the bookings shares: who acts (family or staff), parsing dates,
and the French messages of refusals."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ..models import Enrolment, EnrolmentState
from ..permissions import BOOK_FOR_FAMILY
from ..planning import fr_date

# A pattern covers one school year at most.
MAX_PATTERN_DAYS = 366

# Rules other apps add to every new booking a family makes (billing registers « no new
# booking while an invoice is unpaid for more than N days » from its AppConfig.ready,
# so that bookings never imports billing). Each is called as ``check(family=, today=)``
# and raises a French ``ValidationError`` to refuse; staff booking for a family are not
# held by them.
BOOKING_CHECKS = []


def register_booking_check(check):
    """Add ``check`` once (``ready()`` may run again in tests)."""
    if check not in BOOKING_CHECKS:
        BOOKING_CHECKS.append(check)
    return check


def check_new_booking(child, *, by_staff, now=None):
    """Run the registered checks before a family books for ``child``."""
    if by_staff:
        return
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    for check in BOOKING_CHECKS:
        check(family=child.family, today=today)


def acts_as_staff(actor):
    """Staff act for families (past deadlines too); families are never ``is_staff``."""
    return bool(actor is not None and actor.is_staff and actor.has_perm(BOOK_FOR_FAMILY))


def check_actor(actor, child):
    """Staff with the permission, or a guardian of the child's family; else refused."""
    if acts_as_staff(actor):
        return True
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Connectez-vous pour réserver.")
    if child.family.is_anonymised:
        raise ValidationError("Ce dossier famille est clos.")
    if not child.family.guardians.filter(user=actor).exists():
        raise PermissionDenied("Cet enfant n'appartient pas à votre famille.")
    return False


def parse_day(value, field="day"):
    """A date from a ``date`` or an ISO string; a clear French error otherwise."""
    if isinstance(value, datetime.datetime):
        raise ValidationError({field: "Indiquez un jour, sans heure."}, code="invalid_date")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(
        {field: "Date invalide : indiquez un jour au format AAAA-MM-JJ (par exemple 2027-01-11)."},
        code="invalid_date",
    )


def not_enrolled_error(child, unit, day):
    """Why ``child`` may not book ``unit`` on ``day`` (no accepted enrolment covering it)."""
    enrolments = list(
        Enrolment.objects.filter(child=child, service_id=unit.service_id).select_related(
            "school_year"
        )
    )
    service = unit.service.name
    for enrolment in enrolments:
        if enrolment.state == EnrolmentState.PENDING and enrolment.school_year.contains(day):
            return ValidationError(
                f"L'inscription de {child.first_name} à « {service} » attend encore la "
                "validation du service : vous pourrez réserver une fois qu'elle sera acceptée.",
                code="enrolment_pending",
            )
    accepted = [e for e in enrolments if e.state == EnrolmentState.ACCEPTED]
    if accepted:
        year = accepted[0].school_year
        return ValidationError(
            f"Le {fr_date(day)} est en dehors de l'année scolaire {year.label} (du "
            f"{fr_date(year.starts_on)} au {fr_date(year.ends_on)}) à laquelle "
            f"{child.first_name} est inscrit(e).",
            code="outside_school_year",
        )
    return ValidationError(
        f"{child.first_name} n'est pas inscrit(e) à « {service} » : faites d'abord une "
        "demande d'inscription.",
        code="not_enrolled",
    )
