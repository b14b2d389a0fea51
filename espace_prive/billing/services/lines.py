"""Billable lines of a month, from bookings and, where it was taken, attendance: pure
reads, loaded in constant queries.

Rules (per booking of a service the régie bills, in the month), where **no register**
was taken for the booking's site, unit and day (or its register is open today or later):
- booked, no absence → « réservé », full price;
- booked, absent with a reason that keeps the day billed (no certificate in time) →
  « absence non justifiée », full price; any other absence → not billed;
- cancelled by staff past the deadline → « annulation tardive » at the service's
  ``late_cancel_rate`` (0 % → not billed);
- waiting list, cancelled in time → not billed.

Where a register was taken, **the closed register is authoritative** (attendance is
what billing uses where it was taken):
- booked and marked present (or gone home) → « présent », full price (even if the
  family had declared an absence: the child came);
- booked and marked absent, or booked and **left unmarked** when the register was closed
  (closing does not mark anyone, and the attendance rate counts such a child as not
  there: same rule) → the absence rules above: a declared absence that is not billable
  → no line, anything else → « absence non justifiée », full price;
- an unbooked mark (« présence sans réservation ») present or gone → a line at the
  service's ``unbooked_presence_rate`` (120 = +20 %; 0 → not billed), priced like any
  other day (the enrolment covering the day gives the resident commune; QF of the day,
  grid coverage anomalies as above; without an enrolment, a blocking anomaly); one
  marked absent → nothing. If a booking was made after the child came unannounced, the
  booking bills the day (« présent »), never twice;
- late cancellations stay billed from bookings, unless the child came anyway (an
  unbooked mark present): the day is then the « présence sans réservation ».
A register **still open for a past day** of the month is a blocking anomaly « registre
non clos » (naming site, unit and day) for every family it holds a booking or an
unbooked presence of: staff close it (or have it closed) and re-run; no line is made for
that day until then.

The price is the grid's unit price for the QF valid **on that day** (the resident
commune is the enrolment's school year's), times the unit's quantity and the rate,
rounded once, half-up to the cent. A booking whose enrolment is not accepted, or a day
no grid covers, gives a blocking anomaly and no line; no valid QF gives the no-QF price
and a warning.
"""

import calendar
import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from espace_prive.attendance.selectors import marks_for_month
from espace_prive.bookings.models import Booking, BookingState, EnrolmentState
from espace_prive.catalogue.models import TariffGrid
from espace_prive.catalogue.selectors import TariffNotFound, price_from_grid

from ..models import BilledService, InvoiceService, LineReason
from ..models.invoices import AnomalyKind
from .attendance import HERE, month_attendance

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def month_bounds(month):
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), datetime.date(month.year, month.month, last)


@functools.lru_cache(maxsize=4096)  # pure, on values: a month repeats a few prices
def line_amount(quantity, unit_price, rate=HUNDRED):
    """The one rounding of a line: half-up to the cent."""
    return (Decimal(quantity) * Decimal(unit_price) * Decimal(rate) / HUNDRED).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Line:
    family_id: int
    child: object
    service: object
    booking: object
    day: datetime.date
    unit_label: str
    quantity: Decimal
    unit_price: Decimal
    rate: Decimal
    amount: Decimal
    pricing_label: str
    reason: str
    mark: object = None  # the attendance mark that decided the line, if any

    @property
    def key(self):
        """What identifies a line from one draft to the next."""
        return (self.child.pk, self.service.pk, self.day.isoformat(), self.unit_label)


@dataclass(frozen=True)
class Anomaly:
    family_id: int
    child: object
    service: object
    day: datetime.date | None
    kind: str
    message: str

    @property
    def blocking(self):
        return self.kind != AnomalyKind.NO_QF


def _absence_reason(booking):
    absence = getattr(booking, "absence", None)
    if absence is None:
        return LineReason.BOOKED, HUNDRED
    if absence.is_billable:
        return LineReason.UNJUSTIFIED_ABSENCE, HUNDRED
    return None, None


def _reason_and_rate(booking, rules):
    if booking.state == BookingState.BOOKED:
        return _absence_reason(booking)
    if booking.state == BookingState.CANCELLED and booking.cancelled_late:
        rate = rules.late_cancel_rate if rules else HUNDRED
        return (LineReason.LATE_CANCELLATION, rate) if rate > 0 else (None, None)
    return None, None


def _attended_reason(booking, mark):
    """The reason of a booked day whose register is closed, from its mark."""
    if mark is not None and mark.state in HERE:
        return LineReason.PRESENT, HUNDRED
    reason, rate = _absence_reason(booking)
    if reason == LineReason.BOOKED:  # absent or unmarked, no declared absence
        return LineReason.UNJUSTIFIED_ABSENCE, HUNDRED
    return reason, rate


def _quotient(family, day):
    if not family.qf_is_valid_on(day):
        return None
    quotient = family.quotient_familial
    return int(quotient) if quotient == quotient.to_integral_value() else quotient


def _cached_on(grid, name, key, compute):
    """``compute()`` once per ``key`` for this grid instance (loaded afresh by each
    ``billable_lines`` call, so the cache never outlives the grid it was read from)."""
    cache = grid.__dict__.setdefault(name, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _price(grid, quotient, resident):
    """``price_from_grid``, once per (grid, quotient, resident) of a call."""
    return _cached_on(
        grid,
        "_billing_prices",
        (quotient, resident),
        lambda: price_from_grid(grid, quotient, resident=resident),
    )


def _pricing_label(grid, quotient, resident):
    return _cached_on(
        grid,
        "_billing_labels",
        (quotient, resident),
        lambda: _pricing_label_of(grid, quotient, resident),
    )


def _pricing_label_of(grid, quotient, resident):
    if not resident:
        return f"{grid.label} : tarif hors commune"
    if quotient is None:
        return f"{grid.label} : tarif sans quotient familial"
    band = next((b for b in grid.bands.all() if b.contains(quotient)), None)
    return f"{grid.label} : {band} (QF {quotient})"


def _open_register_message(register):
    return (
        f"Registre non clos : {register.site} — {register.unit.name} — "
        f"{register.day:%d/%m/%Y}. Faites-le clore puis relancez le calcul."
    )


def billable_lines(*, regie, month, services, families=None):
    """(lines, anomalies) of ``month`` for ``services`` billed by ``regie``.

    ``families``: restrict to these families (default: every family with bookings or an
    unbooked presence). Days already on an issued invoice of the same family, month and
    service are left out.
    """
    start, end = month_bounds(month)
    rules = {
        r.service_id: r
        for r in BilledService.objects.filter(regie=regie, service__in=services).select_related(
            "service"
        )
    }
    service_ids = list(rules)
    bookings = (
        Booking.objects.filter(
            unit__service_id__in=service_ids,
            day__gte=start,
            day__lte=end,
            state__in=[BookingState.BOOKED, BookingState.CANCELLED],
        )
        .select_related(
            "child__family",
            "unit__service",
            "enrolment__school_year__commune",
            "absence__declaration__reason",
        )
        .order_by("child__family_id", "child_id", "day", "unit__sort_order", "id")
    )
    if families is not None:
        bookings = bookings.filter(child__family__in=families)
    grids = defaultdict(list)
    for grid in TariffGrid.objects.filter(
        service_id__in=service_ids, valid_from__lte=end, valid_until__gte=start
    ).prefetch_related("bands"):
        grids[grid.service_id].append(grid)
    invoiced = set(
        InvoiceService.objects.filter(month=start, service_id__in=service_ids).values_list(
            "family_id", "service_id"
        )
    )
    taken = month_attendance(start=start, end=end, service_ids=service_ids, families=families)
    lines, anomalies = [], []
    seen_anomalies = set()

    def flag(child, service, kind, message, day=None, where=None):
        key = (child.pk, service.pk, kind, day, where)
        if key not in seen_anomalies:
            seen_anomalies.add(key)
            anomalies.append(Anomaly(child.family_id, child, service, day, kind, message))

    def flag_open(child, service, register):
        flag(
            child,
            service,
            AnomalyKind.OPEN_REGISTER,
            _open_register_message(register),
            register.day,
            register.pk,
        )

    def priced(*, child, service, enrolment, day, unit, reason, rate, booking=None, mark=None):
        """The line of one day, or None with its anomaly."""
        family = child.family
        if enrolment is None or enrolment.state != EnrolmentState.ACCEPTED:
            state = (
                "sans inscription" if enrolment is None else enrolment.get_state_display().lower()
            )
            what = "des réservations" if booking is not None else "une présence sans réservation"
            flag(
                child,
                service,
                AnomalyKind.NOT_ENROLLED,
                f"{child} a {what} de « {service} » sans inscription acceptée ({state}).",
            )
            return None
        grid = next((g for g in grids[service.pk] if g.covers(day)), None)
        if grid is None:
            flag(
                child,
                service,
                AnomalyKind.NO_GRID,
                f"Aucune grille tarifaire de « {service} » le {day:%d/%m/%Y}.",
                day,
            )
            return None
        resident = enrolment.school_year.commune.is_resident(family)
        quotient = _quotient(family, day)
        if resident and quotient is None:
            flag(
                child,
                service,
                AnomalyKind.NO_QF,
                f"Famille {family} : pas de quotient familial valide en {start:%m/%Y} "
                "(tarif sans QF appliqué).",
            )
        try:
            price = _price(grid, quotient, resident)
        except TariffNotFound as error:
            flag(child, service, AnomalyKind.NO_GRID, str(error)[:255], day)
            return None
        quantity = unit.quantity
        return Line(
            family_id=family.pk,
            child=child,
            service=service,
            booking=booking,
            day=day,
            unit_label=unit.name,
            quantity=quantity,
            unit_price=price,
            rate=rate,
            amount=line_amount(quantity, price, rate),
            pricing_label=_pricing_label(grid, quotient, resident)[:255],
            reason=reason,
            mark=mark,
        )

    booked_days = set()  # (child, unit, day) billed through a booking of a taken register
    for booking in bookings:
        child, unit, day = booking.child, booking.unit, booking.day
        family, service = child.family, unit.service
        if (family.pk, service.pk) in invoiced:
            continue
        register = taken.register(booking.site_id, unit.pk, day)
        mark = None
        if register is None:
            reason, rate = _reason_and_rate(booking, rules.get(service.pk))
        elif booking.state == BookingState.BOOKED:
            booked_days.add((child.pk, unit.pk, day))
            if not register.is_closed:
                flag_open(child, service, register)
                continue
            mark = taken.mark(register, child.pk)
            reason, rate = _attended_reason(booking, mark)
        else:
            mark = taken.mark(register, child.pk)
            if mark is not None and mark.unbooked and mark.state in HERE:
                continue  # the child came anyway: billed as a presence below
            mark = None
            reason, rate = _reason_and_rate(booking, rules.get(service.pk))
        if reason is None:
            continue
        line = priced(
            child=child,
            service=service,
            enrolment=booking.enrolment,
            day=day,
            unit=unit,
            reason=reason,
            rate=rate,
            booking=booking,
            mark=mark,
        )
        if line is not None:
            lines.append(line)

    for mark in taken.unbooked:
        register, child = mark.register, mark.child
        unit, service, day = register.unit, register.unit.service, register.day
        if (child.family_id, service.pk) in invoiced or day < start or day > end:
            continue
        if (child.pk, unit.pk, day) in booked_days or taken.register(
            register.site_id, unit.pk, day
        ) is None:
            continue
        if not register.is_closed:
            flag_open(child, service, register)
            continue
        rate = rules[service.pk].unbooked_presence_rate
        if mark.state not in HERE or rate <= 0:
            continue
        line = priced(
            child=child,
            service=service,
            enrolment=taken.enrolment(mark),
            day=day,
            unit=unit,
            reason=LineReason.UNBOOKED_PRESENCE,
            rate=rate,
            mark=mark,
        )
        if line is not None:
            lines.append(line)
    lines.sort(key=lambda line: (line.family_id, line.child.pk, line.day))  # stable
    return lines, anomalies


def unbooked_family_ids(*, services, month):
    """Ids of the families with a « présence sans réservation » in ``month`` for
    ``services`` (a family may have nothing else to bill)."""
    start, _ = month_bounds(month)
    return set(
        marks_for_month(year=start.year, month=start.month, services=services)
        .filter(unbooked=True)
        .values_list("child__family_id", flat=True)
    )
