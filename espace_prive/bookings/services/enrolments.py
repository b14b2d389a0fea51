"""Yearly enrolments: a family asks, staff accept or refuse (with a reason); the family
is told by e-mail. One state change = one transaction, the e-mail after commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from espace_prive.constraints import constraint_message
from espace_prive.decisions import lock_pending

from .. import notices
from ..models import Enrolment, EnrolmentState, ServiceRules
from ..permissions import DECIDE_ENROLMENT
from ..planning import fr_date
from ._common import check_actor


class EnrolmentAlreadyDecided(Exception):
    """Another decision came first (or the family withdrew the request)."""

    def __init__(self, enrolment):
        self.enrolment = enrolment
        super().__init__(
            f"Cette inscription a déjà été traitée ({enrolment.get_state_display().lower()})."
        )


def enrolment_request(*, actor, child, service, site, school_year, notes="", now=None):
    """Ask to enrol ``child`` in ``service`` at ``site`` for ``school_year``."""
    now = now or timezone.now()
    by_staff = check_actor(actor, child)
    today = timezone.localdate(now)
    if not service.is_active:
        raise ValidationError({"service": f"Le service « {service} » n'est plus proposé."})
    if not service.sites.filter(pk=site.pk).exists():
        raise ValidationError({"site": f"« {service} » n'est pas proposé à {site}."})
    if school_year.ends_on < today:
        raise ValidationError({"school_year": f"L'année scolaire {school_year.label} est finie."})
    if not school_year.periods.filter(service=service).exists():
        raise ValidationError(
            {"school_year": f"« {service} » n'est pas ouvert en {school_year.label}."}
        )
    rules = ServiceRules.objects.filter(service=service).first()
    if rules and rules.enrolments_open_on and today < rules.enrolments_open_on and not by_staff:
        raise ValidationError(
            {
                "service": (
                    f"Les inscriptions à « {service} » ouvrent le "
                    f"{fr_date(rules.enrolments_open_on)}."
                )
            }
        )
    enrolment = Enrolment(
        child=child,
        service=service,
        site=site,
        school_year=school_year,
        notes=(notes or "").strip()[:2000],
        requested_by=actor,
        requested_by_staff=by_staff,
        requested_at=now,
    )
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:
        raise ValidationError({"service": constraint_message(error)}) from error
    return enrolment


def _require_decider(actor):
    if not actor.has_perm(DECIDE_ENROLMENT):
        raise PermissionDenied("Vous n'avez pas le droit de traiter les inscriptions.")


def _lock_pending(enrolment):
    return lock_pending(Enrolment, enrolment.pk, already_decided=EnrolmentAlreadyDecided)


def enrolment_accept(*, actor, enrolment, now=None):
    _require_decider(actor)
    with transaction.atomic():
        locked = _lock_pending(enrolment)
        locked.save(update_fields=locked.decide(EnrolmentState.ACCEPTED, actor=actor, at=now))
        notices.enrolment_decided(locked)
    return locked


def enrolment_refuse(*, actor, enrolment, reason, now=None):
    _require_decider(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Indiquez le motif du refus : il est communiqué à la famille."}
        )
    with transaction.atomic():
        locked = _lock_pending(enrolment)
        written = locked.decide(EnrolmentState.REFUSED, actor=actor, at=now, reason=reason)
        locked.save(update_fields=written)
        notices.enrolment_decided(locked)
    return locked


def enrolment_cancel(*, actor, family, enrolment, now=None):
    """The family withdraws its pending request."""
    if enrolment.child.family_id != family.pk:
        raise PermissionDenied("Cette inscription n'est pas la vôtre.")
    check_actor(actor, enrolment.child)
    with transaction.atomic():
        locked = _lock_pending(enrolment)
        written = locked.decide(EnrolmentState.CANCELLED, actor=actor, at=now)
        locked.family_seen_at = locked.decided_at
        locked.save(update_fields=[*written, "family_seen_at"])
    return locked
