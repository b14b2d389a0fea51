"""A whole holiday session (stage), where a service sells it as one: shown with its
total at the family's tariff, then booked all or none (every day booked, or every day
on the waiting list when one is full), with the same locks as any booking."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from ..planning import Planning, money
from ._common import check_actor, check_new_booking, not_enrolled_error
from .bookings import (
    BOOK,
    WAIT,
    PatternLine,
    PatternPreview,
    _book_lines,
    _decide,
    _explanations,
    _now,
)

ALREADY = "deja"


@dataclass
class SessionOffer:
    """A session as the family sees it before booking: what booking it would do
    (``outcome``: BOOK, WAIT or ALREADY; None when it cannot be booked, ``reason``
    says why), its days and their total."""

    period: object
    unit: object
    can_book: bool
    reason: str = ""
    outcome: str | None = None
    days: int = 0
    total: Decimal | None = None
    explanations: list = field(default_factory=list)

    @property
    def total_text(self):
        return money(self.total) if self.total is not None else ""


def _session_lines(*, actor, child, unit, period, now, live):
    """The lines of a whole session (every open day of ``unit`` in ``period``), checked:
    a French ``ValidationError`` when the period is not sold whole for this unit, the
    child is not enrolled or the deadline has passed (staff may book past it)."""
    if not period.sold_as_session or period.service_id != unit.service_id:
        raise ValidationError(
            {"period": "Cette période ne se réserve pas en entier pour cette activité."}
        )
    by_staff = check_actor(actor, child)
    check_new_booking(child, by_staff=by_staff, now=now)
    planning = Planning(
        child=child,
        start=period.starts_on,
        end=period.ends_on,
        services=[unit.service_id],
        now=now,
        live=live,
    )
    planned_unit = planning.unit(unit.pk)
    enrolment = planning.enrolment_for(unit.service_id, period.starts_on)
    if planned_unit is None or enrolment is None:
        raise not_enrolled_error(child, unit, period.starts_on)
    late = not planning.before_deadline(planned_unit, period.starts_on, period=period)
    if late and not by_staff:
        raise ValidationError(
            f"Le délai de réservation de « {period.name} » est passé "
            f"({planning.rule_text(planned_unit)})."
        )
    lines = []
    day = period.starts_on
    while day <= period.ends_on:
        if planning.status(planned_unit, day, enrolment).open:
            line = PatternLine(day, planned_unit, BOOK, enrolment=enrolment)
            line.price = planning.price(planned_unit, day, enrolment).amount
            line.past_deadline = late
            lines.append(line)
        day += datetime.timedelta(days=1)
    if not lines:
        raise ValidationError(f"« {period.name} » n'a aucun jour d'accueil pour cette activité.")
    return planning, lines, by_staff


def booking_session_preview(*, actor, child, unit, period, now=None):
    """What booking the whole session would do, nothing stored: every day booked, or
    every day on the waiting list when one is full (or already booked), with the price
    of each day at the QF valid on it and the total (``PatternPreview``)."""
    planning, lines, _by_staff = _session_lines(
        actor=actor, child=child, unit=unit, period=period, now=_now(now), live=True
    )
    counts = {key: list(value) for key, value in planning.counts.items()}
    places = {
        (line.unit.pk, line.enrolment.site_id, line.day): planning.places(
            line.unit, line.enrolment.site_id, line.day
        )
        for line in lines
    }
    _decide(lines, counts=counts, places=places, existing=planning.bookings, all_or_nothing=True)
    return PatternPreview(lines=lines, explanations=_explanations(planning, lines))


def booking_session_book(*, actor, child, unit, period, now=None):
    """Book every open day of ``unit`` in ``period`` (sold as a session), all or none:
    when one day is full, the whole session goes on the waiting list. Booking it again
    changes nothing (each line says « Déjà réservé »)."""
    now = _now(now)
    planning, lines, by_staff = _session_lines(
        actor=actor, child=child, unit=unit, period=period, now=now, live=False
    )
    _book_lines(
        lines,
        actor=actor,
        by_staff=by_staff,
        child=child,
        now=now,
        all_or_nothing=True,
        planning=planning,
    )
    return lines


def booking_session_offer(*, actor, child, unit, period, now=None):
    """``SessionOffer`` of a session for ``child`` (nothing stored)."""
    try:
        preview = booking_session_preview(
            actor=actor, child=child, unit=unit, period=period, now=now
        )
    except ValidationError as error:
        return SessionOffer(period, unit, False, reason=" ".join(error.messages))
    if preview.to_book:
        outcome, total = BOOK, preview.total
    elif preview.to_wait:
        outcome, total = WAIT, preview.waiting_total
    else:
        outcome = ALREADY
        total = sum((line.price or Decimal("0") for line in preview.lines), Decimal("0.00"))
    return SessionOffer(
        period,
        unit,
        outcome != ALREADY,
        reason="" if outcome != ALREADY else "Séjour déjà réservé (ou demandé).",
        outcome=outcome,
        days=len(preview.lines),
        total=total,
        explanations=preview.explanations,
    )
