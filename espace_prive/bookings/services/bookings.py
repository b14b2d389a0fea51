"""Booking days: one day, a weekly pattern over a date range (a whole holiday session:
``sessions.py``; cancelling and the waiting list: ``waiting_list.py``).

Capacity is never exceeded whatever the concurrency: every write first locks the
``UnitDay`` row of each (unit, site, day) it touches (``SELECT … FOR UPDATE``, created
if missing with ``INSERT … ON CONFLICT DO NOTHING``, always in the same order), then
counts the places taken, then writes, in one transaction. The unique (child, unit, day)
row makes a repeated submission one booking.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import Booking, BookingAction, BookingEvent, BookingState, UnitCapacity, UnitDay
from ..planning import Planning, fr_date
from ._common import (
    MAX_PATTERN_DAYS,
    check_actor,
    check_new_booking,
    not_enrolled_error,
    parse_day,
)

BOOK = "reserver"
WAIT = "attente"
SKIP = "impossible"


@dataclass(eq=False)
class PatternLine:
    day: datetime.date
    unit: object
    outcome: str  # BOOK, WAIT or SKIP
    reason: str = ""
    price: Decimal | None = None
    past_deadline: bool = False
    enrolment: object = None
    booking: object = None

    @property
    def outcome_label(self):
        return {BOOK: "Réservé", WAIT: "Liste d'attente", SKIP: "Impossible"}[self.outcome]


@dataclass
class PatternPreview:
    lines: list = field(default_factory=list)
    explanations: list = field(default_factory=list)

    def of(self, outcome):
        return [line for line in self.lines if line.outcome == outcome]

    @property
    def to_book(self):
        return self.of(BOOK)

    @property
    def to_wait(self):
        return self.of(WAIT)

    @property
    def refused(self):
        return self.of(SKIP)

    @property
    def total(self):
        """What the days to book cost (waiting-list days are paid only if granted)."""
        return sum((line.price or Decimal("0") for line in self.to_book), Decimal("0.00"))

    @property
    def waiting_total(self):
        return sum((line.price or Decimal("0") for line in self.to_wait), Decimal("0.00"))


@dataclass
class PatternResult:
    booked: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    total: Decimal = Decimal("0.00")


# --- Locks and counts --------------------------------------------------------------------


def _capacity_checkpoint():
    """Called between counting the places taken and writing (tests widen the race here)."""


def _lock_unit_days(keys):
    """Lock the ``UnitDay`` rows of ``keys`` ((unit id, site id, day)), creating missing
    ones; in a fixed order, so that two patterns never wait on each other."""
    keys = sorted(set(keys))
    UnitDay.objects.bulk_create(
        [UnitDay(unit_id=u, site_id=s, day=d) for u, s, d in keys], ignore_conflicts=True
    )
    units = {u for u, _s, _d in keys}
    sites = {s for _u, s, _d in keys}
    days = {d for _u, _s, d in keys}
    rows = (
        UnitDay.objects.select_for_update()
        .filter(unit_id__in=units, site_id__in=sites, day__in=days)
        .order_by("unit_id", "site_id", "day")
    )
    return {(r.unit_id, r.site_id, r.day): r for r in rows}


def _places(keys, unit_days, defaults=None):
    """Places of each key: the day's own figure, else the unit's default (None: no limit).

    ``defaults`` ((unit id, site id) → places) are the planning's, already read: the
    day rows, not the defaults, are what the lock protects."""
    if defaults is None:
        defaults = {
            (c.unit_id, c.site_id): c.places
            for c in UnitCapacity.objects.filter(unit_id__in={u for u, _s, _d in keys})
        }
    places = {}
    for key in keys:
        row = unit_days.get(key)
        if row is not None and row.places is not None:
            places[key] = row.places
        else:
            places[key] = defaults.get(key[:2])
    return places


def _counts(keys):
    """{key: [booked, waiting]} read after the locks (committed rows only)."""
    counts = {key: [0, 0] for key in keys}
    rows = (
        Booking.objects.filter(
            unit_id__in={u for u, _s, _d in keys},
            site_id__in={s for _u, s, _d in keys},
            day__in={d for _u, _s, d in keys},
            state__in=[BookingState.BOOKED, BookingState.WAITING],
        )
        .values("unit_id", "site_id", "day")
        .annotate(
            booked=Count("id", filter=Q(state=BookingState.BOOKED)),
            waiting=Count("id", filter=Q(state=BookingState.WAITING)),
        )
    )
    for row in rows:
        key = (row["unit_id"], row["site_id"], row["day"])
        if key in counts:
            counts[key] = [row["booked"], row["waiting"]]
    return counts


def _has_room(places, booked, waiting):
    """A new arrival gets a place only if one is free and nobody is waiting before it."""
    return places is None or (booked < places and waiting == 0)


# --- Evaluating what can be booked -------------------------------------------------------


def _candidate(planning, unit, day, *, by_staff):
    """A ``PatternLine``: BOOK when the day may be booked (capacity aside), else SKIP."""
    enrolment = planning.enrolment_for(unit.service_id, day)
    line = PatternLine(day, unit, BOOK, enrolment=enrolment)
    if enrolment is None:
        line.outcome, line.reason = SKIP, "Hors de l'année scolaire de l'inscription."
        return line
    status = planning.status(unit, day, enrolment)
    if not status.open:
        line.outcome, line.reason = SKIP, status.reason
        return line
    if status.period.sold_as_session:
        line.outcome = SKIP
        line.reason = f"« {status.period.name} » se réserve en entier (séjour)."
        return line
    if not planning.before_deadline(unit, day, period=status.period):
        if not by_staff:
            line.outcome = SKIP
            line.reason = f"Délai de réservation passé ({planning.rule_text(unit)})."
            return line
        line.past_deadline = True
    line.price = planning.price(unit, day, enrolment).amount
    return line


def _decide(lines, *, counts, places, existing, all_or_nothing=False):
    """Set each BOOK line to BOOK, WAIT or SKIP (already booked) given the places taken;
    ``counts`` is updated as if the lines were written."""
    active = [line for line in lines if line.outcome != SKIP]
    for line in active:
        booking = existing.get((line.unit.pk, line.day))
        if booking is not None and booking.is_active:
            line.outcome = SKIP
            booked = booking.state == BookingState.BOOKED
            line.reason = "Déjà réservé." if booked else "Déjà sur liste d'attente."
    active = [line for line in active if line.outcome != SKIP]
    keys = {id(line): (line.unit.pk, line.enrolment.site_id, line.day) for line in active}
    room = {
        id(line): _has_room(places.get(keys[id(line)]), *counts.get(keys[id(line)], (0, 0)))
        for line in active
    }
    everything_fits = all(room.values())
    for line in active:
        key = keys[id(line)]
        booked, waiting = counts.setdefault(key, [0, 0])
        fits = everything_fits if all_or_nothing else _has_room(places.get(key), booked, waiting)
        if fits:
            line.outcome = BOOK
            counts[key][0] += 1
        else:
            line.outcome = WAIT
            counts[key][1] += 1
            line.reason = "Complet : inscrit(e) sur liste d'attente, par ordre d'arrivée."
    return lines


def _write(lines, *, actor, by_staff, child, now, existing):
    """Write the BOOK and WAIT lines (new rows, or cancelled rows reused)."""
    to_create, to_update, events = [], [], []
    arrived_at = timezone.now()  # arrival order is real time, whatever ``now`` says
    for line in lines:
        if line.outcome == SKIP:
            continue
        state = BookingState.BOOKED if line.outcome == BOOK else BookingState.WAITING
        booking = existing.get((line.unit.pk, line.day))
        if booking is None:
            booking = Booking(child=child, unit=line.unit, day=line.day)
            to_create.append(booking)
        else:
            to_update.append(booking)
        booking.enrolment = line.enrolment
        booking.site_id = line.enrolment.site_id
        booking.state = state
        booking.queued_at = arrived_at
        booking.created_by = actor
        booking.created_by_staff = by_staff
        booking.promoted_at = None
        booking.cancelled_at = booking.cancelled_by = None
        booking.cancelled_by_staff = booking.cancelled_late = False
        line.booking = booking
        action = BookingAction.BOOKED if line.outcome == BOOK else BookingAction.WAITING
        events.append((booking, action, line.past_deadline))
    Booking.objects.bulk_create(to_create)
    if to_update:
        Booking.objects.bulk_update(
            to_update,
            [
                "enrolment",
                "site",
                "state",
                "queued_at",
                "created_by",
                "created_by_staff",
                "promoted_at",
                "cancelled_at",
                "cancelled_by",
                "cancelled_by_staff",
                "cancelled_late",
            ],
        )
    BookingEvent.objects.bulk_create(
        [
            BookingEvent(
                booking=booking,
                action=action,
                actor=actor,
                by_staff=by_staff,
                past_deadline=late,
                at=now,
            )
            for booking, action, late in events
        ]
    )


def _book_lines(lines, *, actor, by_staff, child, now, all_or_nothing=False, planning=None):
    """Lock, count, decide and write ``lines`` in one transaction."""
    candidates = [line for line in lines if line.outcome != SKIP]
    if not candidates:
        return lines
    keys = [(line.unit.pk, line.enrolment.site_id, line.day) for line in candidates]
    with transaction.atomic():
        unit_days = _lock_unit_days(keys)
        places = _places(keys, unit_days, planning.default_places if planning else None)
        counts = _counts(keys)
        existing = {
            (b.unit_id, b.day): b
            for b in Booking.objects.select_for_update().filter(
                child=child,
                unit_id__in={k[0] for k in keys},
                day__in={k[2] for k in keys},
            )
        }
        _capacity_checkpoint()
        _decide(
            candidates,
            counts=counts,
            places=places,
            existing=existing,
            all_or_nothing=all_or_nothing,
        )
        _write(candidates, actor=actor, by_staff=by_staff, child=child, now=now, existing=existing)
    return lines


def _now(now):
    return now or timezone.now()


# --- One day ------------------------------------------------------------------------------


def booking_book(*, actor, child, unit, day, now=None):
    """Book ``unit`` on ``day`` for ``child``: booked, or on the waiting list when full.

    Refused with a French ``ValidationError`` (nothing stored) when the child is not
    enrolled, the day is closed or outside the school year, the unit is not offered at
    the child's site, or the deadline has passed (staff may book past it, recorded as
    done by staff). The same booking again returns the existing row.
    """
    now = _now(now)
    day = parse_day(day)
    by_staff = check_actor(actor, child)
    check_new_booking(child, by_staff=by_staff, now=now)
    planning = Planning(child=child, start=day, end=day, services=[unit.service_id], now=now)
    planned_unit = planning.unit(unit.pk)
    enrolment = planning.enrolment_for(unit.service_id, day)
    if planned_unit is None or enrolment is None:
        raise not_enrolled_error(child, unit, day)
    existing = planning.bookings.get((unit.pk, day))
    if existing is not None and existing.is_active:
        return existing
    line = _candidate(planning, planned_unit, day, by_staff=by_staff)
    if line.outcome == SKIP:
        raise ValidationError(f"{planned_unit.name} le {fr_date(day)} : {line.reason}")
    _book_lines([line], actor=actor, by_staff=by_staff, child=child, now=now, planning=planning)
    return line.booking


# --- A weekly pattern ---------------------------------------------------------------------


def _pattern_lines(*, actor, child, units, weekdays, start, end, now, live, cached=False):
    start, end = parse_day(start, "start"), parse_day(end, "end")
    if end < start:
        raise ValidationError({"end": "La date de fin précède la date de début."})
    if (end - start).days >= MAX_PATTERN_DAYS:
        raise ValidationError(
            {"end": "Une réservation régulière couvre au plus une année scolaire."}
        )
    try:
        weekdays = {int(w) for w in weekdays}
    except (TypeError, ValueError) as error:
        raise ValidationError({"weekdays": "Jours de la semaine invalides."}) from error
    if not weekdays or not weekdays <= set(range(7)):
        raise ValidationError({"weekdays": "Choisissez au moins un jour de la semaine."})
    units = list(units)
    if not units:
        raise ValidationError({"units": "Choisissez au moins une activité."})
    by_staff = check_actor(actor, child)
    check_new_booking(child, by_staff=by_staff, now=now)
    planning = Planning(
        child=child,
        start=start,
        end=end,
        services={u.service_id for u in units},
        now=now,
        live=live,
        cached=cached,
    )
    planned = []
    for unit in units:
        planned_unit = planning.unit(unit.pk)
        first = planning.enrolment_for(unit.service_id, start)
        last = planning.enrolment_for(unit.service_id, end)
        if planned_unit is None or first is None:
            raise not_enrolled_error(child, unit, start)
        if last is None or last.pk != first.pk:
            raise not_enrolled_error(child, unit, end)
        if not planning.offered_at(planned_unit, first.site_id):
            raise ValidationError({"units": f"« {unit.name} » n'est pas proposé à {first.site}."})
        planned.append(planned_unit)
    lines = []
    day = start
    while day <= end:
        if day.weekday() in weekdays:
            for unit in planned:
                lines.append(_candidate(planning, unit, day, by_staff=by_staff))
        day += datetime.timedelta(days=1)
    return planning, lines, by_staff


def _explanations(planning, lines):
    seen = []
    for line in lines:
        if line.enrolment is None:
            continue
        text = planning.tariff(line.enrolment, line.day).explanation
        if text and text not in seen:
            seen.append(text)
    return seen


def booking_pattern_preview(*, actor, child, units, weekdays, start, end, now=None):
    """What a weekly pattern would book: each day with its outcome (booked, waiting
    list, impossible and why) and price; the total at the QF valid on each day."""
    now = _now(now)
    planning, lines, _by_staff = _pattern_lines(
        actor=actor,
        child=child,
        units=units,
        weekdays=weekdays,
        start=start,
        end=end,
        now=now,
        live=True,
        cached=True,  # a preview stores nothing: the confirmation reads everything again
    )
    counts = {key: list(value) for key, value in planning.counts.items()}
    candidates = [line for line in lines if line.outcome != SKIP]
    places = {
        (line.unit.pk, line.enrolment.site_id, line.day): planning.places(
            line.unit, line.enrolment.site_id, line.day
        )
        for line in candidates
    }
    _decide(candidates, counts=counts, places=places, existing=planning.bookings)
    return PatternPreview(lines=lines, explanations=_explanations(planning, lines))


def booking_pattern_confirm(*, actor, child, units, weekdays, start, end, now=None):
    """Book a weekly pattern in one transaction (everything checked again)."""
    now = _now(now)
    planning, lines, by_staff = _pattern_lines(
        actor=actor,
        child=child,
        units=units,
        weekdays=weekdays,
        start=start,
        end=end,
        now=now,
        live=False,
    )
    refused = [line for line in lines if line.outcome == SKIP]
    refused_ids = {id(line) for line in refused}
    _book_lines(lines, actor=actor, by_staff=by_staff, child=child, now=now, planning=planning)
    result = PatternResult(refused=refused)
    for line in lines:
        if id(line) in refused_ids:
            continue
        if line.outcome == BOOK:
            result.booked.append(line)
            result.total += line.price or Decimal("0")
        elif line.outcome == WAIT:
            result.waiting.append(line)
        else:
            result.unchanged.append(line)
    return result
