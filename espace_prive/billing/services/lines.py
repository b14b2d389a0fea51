"""Billable lines of a month, from bookings: pure reads, loaded in constant queries.

Rules (per booking of a service the régie bills, in the month):
- booked, no absence → « réservé », full price;
- booked, absent with a reason that keeps the day billed (no certificate in time) →
  « absence non justifiée », full price; any other absence → not billed;
- cancelled by staff past the deadline → « annulation tardive » at the service's
  ``late_cancel_rate`` (0 % → not billed);
- waiting list, cancelled in time → not billed.
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

from espace_prive.bookings.models import Booking, BookingState, EnrolmentState
from espace_prive.catalogue.models import TariffGrid
from espace_prive.catalogue.selectors import TariffNotFound, price_from_grid

from ..models import BilledService, InvoiceService, LineReason
from ..models.invoices import AnomalyKind

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


def _reason_and_rate(booking, rules):
    if booking.state == BookingState.BOOKED:
        absence = getattr(booking, "absence", None)
        if absence is None:
            return LineReason.BOOKED, HUNDRED
        if absence.is_billable:
            return LineReason.UNJUSTIFIED_ABSENCE, HUNDRED
        return None, None
    if booking.state == BookingState.CANCELLED and booking.cancelled_late:
        rate = rules.late_cancel_rate if rules else HUNDRED
        return (LineReason.LATE_CANCELLATION, rate) if rate > 0 else (None, None)
    return None, None


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


def billable_lines(*, regie, month, services, families=None):
    """(lines, anomalies) of ``month`` for ``services`` billed by ``regie``.

    ``families``: restrict to these families (default: every family with bookings).
    Days already on an issued invoice of the same family, month and service are left out.
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
    lines, anomalies = [], []
    seen_anomalies = set()

    def flag(booking, kind, message, day=None):
        key = (booking.child_id, booking.unit.service_id, kind, day)
        if key not in seen_anomalies:
            seen_anomalies.add(key)
            anomalies.append(
                Anomaly(
                    booking.child.family_id, booking.child, booking.unit.service, day, kind, message
                )
            )

    for booking in bookings:
        child, unit, day = booking.child, booking.unit, booking.day
        family, service = child.family, unit.service
        if (family.pk, service.pk) in invoiced:
            continue
        reason, rate = _reason_and_rate(booking, rules.get(service.pk))
        if reason is None:
            continue
        enrolment = booking.enrolment
        if enrolment.state != EnrolmentState.ACCEPTED:
            flag(
                booking,
                AnomalyKind.NOT_ENROLLED,
                f"{child} a des réservations de « {service} » sans inscription acceptée "
                f"({enrolment.get_state_display().lower()}).",
            )
            continue
        grid = next((g for g in grids[service.pk] if g.covers(day)), None)
        if grid is None:
            flag(
                booking,
                AnomalyKind.NO_GRID,
                f"Aucune grille tarifaire de « {service} » le {day:%d/%m/%Y}.",
                day,
            )
            continue
        resident = enrolment.school_year.commune.is_resident(family)
        quotient = _quotient(family, day)
        if resident and quotient is None:
            flag(
                booking,
                AnomalyKind.NO_QF,
                f"Famille {family} : pas de quotient familial valide en {start:%m/%Y} "
                "(tarif sans QF appliqué).",
            )
        try:
            price = _price(grid, quotient, resident)
        except TariffNotFound as error:
            flag(booking, AnomalyKind.NO_GRID, str(error)[:255], day)
            continue
        quantity = unit.quantity
        lines.append(
            Line(
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
            )
        )
    return lines, anomalies
