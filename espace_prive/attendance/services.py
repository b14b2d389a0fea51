"""The rules of the attendance register: one tap per child (présent / absent), a child
added on the spot (« présence sans réservation »), a departure (at what time, with
whom), closing the register and reopening it (audited).

Every function takes ``actor=`` (the agent) and keyword-only arguments, checks
everything before writing, and raises ``ValidationError`` in French (``message_dict``
keyed by the argument) with nothing changed, or ``PermissionDenied`` for an agent
without the right or the site. The register's row is locked (``SELECT … FOR UPDATE``)
for the whole change: a tap and a closing never cross.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from espace_prive.bookings.models import Booking, BookingState
from espace_prive.families.models import Guardian, PickupPerson

from . import selectors
from .models import Mark, MarkState, Register, RegisterAction, RegisterEvent, RegisterState
from .permissions import REOPEN_REGISTER, TAKE_ATTENDANCE

TAP_STATES = (MarkState.PRESENT, MarkState.ABSENT)


def _error(field, message):
    return ValidationError({field: [message]})


def _label(actor):
    return (actor.get_full_name() or actor.email)[:255]


def _check_actor(actor, site, permission=TAKE_ATTENDANCE):
    if not actor.has_perm(permission):
        raise PermissionDenied("Vous n'avez pas le droit de pointer les présences.")
    if not selectors.may_work_at(actor, site):
        raise PermissionDenied("Vous n'êtes pas affecté à ce site.")


def parse_time(value, field="at"):
    """« 17:45 » → ``datetime.time(17, 45)``; a French error otherwise."""
    if isinstance(value, datetime.time):
        return value
    try:
        return datetime.time.fromisoformat(str(value).strip())
    except ValueError as error:
        raise _error(field, "Indiquez une heure au format HH:MM (par exemple 17:45).") from error


def _moment(day, at, now):
    """The aware moment of the register's day at ``at`` (a time), or ``now``."""
    if at is None:
        return now
    moment = timezone.make_aware(datetime.datetime.combine(day, parse_time(at)))
    if moment > now + datetime.timedelta(minutes=5):
        raise _error("at", "Cette heure n'est pas encore passée.")
    return moment


def _locked_register(*, site, unit, day, now):
    """The register of the day, created when its first tap comes, locked."""
    if not unit.sites.filter(pk=site.pk).exists():
        raise _error("unit", "Cette unité n'est pas proposée à ce site.")
    if day > timezone.localdate(now):
        raise _error("day", "On ne pointe pas un jour à venir.")
    register, _ = Register.objects.get_or_create(
        site=site, unit=unit, day=day, defaults={"opened_at": now}
    )
    register = Register.objects.select_for_update().get(pk=register.pk)
    if register.is_closed:
        raise _error(
            "register",
            f"Le registre a été clos le {timezone.localtime(register.closed_at):%d/%m/%Y à %H:%M}"
            " : rien n'a été modifié. Un responsable peut le rouvrir.",
        )
    return register


def resolve_pickup(child, value):
    """``"responsable:<uuid>"`` or ``"personne:<uuid>"`` (as the pages and the API send
    them) → ``(kind, person)`` of ``child``'s list; empty → None; else a French error."""
    value = (value or "").strip()
    if not value:
        return None
    kind, _, public_id = value.partition(":")
    model, scope = {
        "responsable": (Guardian, {"family_id": child.family_id}),
        "personne": (PickupPerson, {"child": child}),
    }.get(kind, (None, None))
    try:
        if model is None:
            raise ValidationError("unknown kind")
        return kind, model.objects.get(public_id=public_id, **scope)
    except (ValidationError, Guardian.DoesNotExist, PickupPerson.DoesNotExist) as error:
        raise _error("pickup", "Cette personne n'est pas sur la liste de cet enfant.") from error


def _booking(child, unit, site, day):
    return Booking.objects.filter(
        child=child, unit=unit, site=site, day=day, state=BookingState.BOOKED
    ).first()


@transaction.atomic
def attendance_tap(*, actor, site, unit, day, child, state, at=None, now=None):
    """Mark ``child`` présent or absent. A child not booked but enrolled (to the unit's
    service, at this site, this school year) is added as « présence sans réservation »;
    a child neither expected nor enrolled is refused."""
    now = now or timezone.now()
    _check_actor(actor, site)
    if state not in TAP_STATES:
        raise _error("state", "Choisissez « présent » ou « absent ».")
    register = _locked_register(site=site, unit=unit, day=day, now=now)
    mark = Mark.objects.filter(register=register, child=child).first()
    booking = mark.booking if mark else _booking(child, unit, site, day)
    if mark is None and booking is None:
        if state == MarkState.ABSENT:
            raise _error(
                "child", f"{child.full_name} n'est pas attendu aujourd'hui : rien à noter absent."
            )
        if selectors.accepted_enrolment(child, unit, site, day) is None:
            raise _error(
                "child",
                f"{child.full_name} n'est ni attendu ni inscrit à ce service à ce site : "
                "il ne peut pas être pointé.",
            )
    moment = _moment(day, at, now)
    if mark is None:
        mark = Mark(register=register, child=child, booking=booking, unbooked=booking is None)
    mark.state = state
    mark.arrived_at = (mark.arrived_at or moment) if state == MarkState.PRESENT else None
    if state == MarkState.PRESENT and at is not None:
        mark.arrived_at = moment
    mark.departed_at = None
    mark.pickup_person = mark.pickup_guardian = None
    mark.pickup_name = mark.pickup_reason = ""
    mark.pickup_unlisted = mark.left_alone = False
    mark.marked_by, mark.marked_at = actor, now
    mark.full_clean(validate_unique=False)
    mark.save()
    return mark


def attendance_add_unbooked(*, actor, site, unit, day, child, at=None, now=None):
    """A child who came without a booking: présent, « présence sans réservation » (or
    simply présent if a booking exists after all)."""
    return attendance_tap(
        actor=actor,
        site=site,
        unit=unit,
        day=day,
        child=child,
        state=MarkState.PRESENT,
        at=at,
        now=now,
    )


def _pickup(child, pickup, pickup_name, pickup_reason, left_alone):
    """Who takes the child: a guardian or an authorised person (``pickup``, one of the
    child's), someone else named with a reason (flagged), or nobody (``left_alone``,
    when the family allows it). Returns the mark's fields."""
    pickup_name, pickup_reason = (pickup_name or "").strip(), (pickup_reason or "").strip()
    chosen = sum([pickup is not None, bool(pickup_name), bool(left_alone)])
    if chosen != 1:
        raise _error(
            "pickup",
            "Indiquez qui récupère l'enfant : une personne de sa liste, une autre personne "
            "(avec un motif), ou « parti seul ».",
        )
    fields = {
        "pickup_person": None,
        "pickup_guardian": None,
        "pickup_name": "",
        "pickup_reason": "",
        "pickup_unlisted": False,
        "left_alone": False,
    }
    if left_alone:
        if child.may_leave_alone is not True:
            raise _error(
                "left_alone",
                f"{child.full_name} n'est pas autorisé à partir seul : indiquez qui le récupère.",
            )
        fields["left_alone"] = True
    elif pickup is not None:
        kind, person = pickup
        if kind == "responsable" and person.family_id == child.family_id:
            fields["pickup_guardian"] = person
        elif kind == "personne" and person.child_id == child.pk:
            fields["pickup_person"] = person
        else:
            raise _error("pickup", "Cette personne n'est pas sur la liste de cet enfant.")
        fields["pickup_name"] = person.full_name[:255]
    else:
        if not pickup_reason:
            raise _error(
                "pickup_reason",
                f"« {pickup_name} » n'est pas sur la liste des personnes autorisées de "
                f"{child.full_name} : indiquez le motif (appel de la famille, pièce "
                "d'identité vérifiée…).",
            )
        fields.update(
            pickup_name=pickup_name[:255], pickup_reason=pickup_reason[:255], pickup_unlisted=True
        )
    return fields


@transaction.atomic
def attendance_depart(
    *,
    actor,
    site,
    unit,
    day,
    child,
    at=None,
    pickup=None,
    pickup_name="",
    pickup_reason="",
    left_alone=False,
    now=None,
):
    """The child left at ``at`` (default: now). ``pickup`` is ``("responsable", guardian)``
    or ``("personne", pickup_person)``; another person needs ``pickup_reason``."""
    now = now or timezone.now()
    _check_actor(actor, site)
    register = _locked_register(site=site, unit=unit, day=day, now=now)
    mark = Mark.objects.filter(register=register, child=child).first()
    if mark is None or mark.state == MarkState.ABSENT:
        raise _error(
            "child", f"{child.full_name} n'est pas pointé présent : il ne peut pas partir."
        )
    moment = _moment(day, at, now)
    if moment < mark.arrived_at:
        raise _error(
            "at",
            f"L'heure de départ précède l'arrivée ({timezone.localtime(mark.arrived_at):%H:%M}).",
        )
    for name, value in _pickup(child, pickup, pickup_name, pickup_reason, left_alone).items():
        setattr(mark, name, value)
    mark.state, mark.departed_at = MarkState.GONE, moment
    mark.marked_by, mark.marked_at = actor, now
    mark.full_clean(validate_unique=False)
    mark.save()
    return mark


@transaction.atomic
def register_close(*, actor, site, unit, day, now=None):
    """Close the register: no tap changes it any more (a responsible may reopen it)."""
    now = now or timezone.now()
    _check_actor(actor, site)
    register = _locked_register(site=site, unit=unit, day=day, now=now)
    register.state, register.closed_at, register.closed_by = RegisterState.CLOSED, now, actor
    register.save(update_fields=["state", "closed_at", "closed_by"])
    RegisterEvent.objects.create(
        register=register,
        action=RegisterAction.CLOSED,
        actor=actor,
        actor_label=_label(actor),
        at=now,
    )
    return register


@transaction.atomic
def register_reopen(*, actor, register, reason, now=None):
    """A responsible reopens a closed register, saying why (kept in its history)."""
    now = now or timezone.now()
    _check_actor(actor, register.site, REOPEN_REGISTER)
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", "Indiquez pourquoi le registre est rouvert.")
    register = Register.objects.select_for_update().get(pk=register.pk)
    if not register.is_closed:
        raise _error("register", "Ce registre est déjà ouvert.")
    register.state, register.closed_at, register.closed_by = RegisterState.OPEN, None, None
    register.save(update_fields=["state", "closed_at", "closed_by"])
    RegisterEvent.objects.create(
        register=register,
        action=RegisterAction.REOPENED,
        actor=actor,
        actor_label=_label(actor),
        at=now,
        reason=reason[:255],
    )
    return register


ACTIONS = ("present", "absent", "ajouter", "depart")


def attendance_record(
    *,
    actor,
    site,
    unit,
    day,
    child,
    action,
    at=None,
    who="",
    pickup_name="",
    pickup_reason="",
    now=None,
):
    """One tap as the tablet page and the API send it: ``action`` présent, absent,
    ajouter (a child come without a booking) or depart; for a departure ``who`` is a
    person of the list (``responsable:<id>``, ``personne:<id>``), ``seul``, or ``autre``
    (then ``pickup_name`` and ``pickup_reason``)."""
    where = {"actor": actor, "site": site, "unit": unit, "day": day, "child": child, "now": now}
    if action in TAP_STATES:
        return attendance_tap(state=action, at=at, **where)
    if action == "ajouter":
        return attendance_add_unbooked(at=at, **where)
    if action == "depart":
        other = who in ("", "autre")
        return attendance_depart(
            at=at,
            pickup=None if other or who == "seul" else resolve_pickup(child, who),
            pickup_name=pickup_name if other else "",
            pickup_reason=pickup_reason if other else "",
            left_alone=who == "seul",
            **where,
        )
    raise _error("action", "Action de pointage inconnue : présent, absent, ajouter ou départ.")
