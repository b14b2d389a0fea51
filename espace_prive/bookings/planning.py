"""Everything needed to say, for one child and a date range, what each day of each unit
is: open or closed (and why), until when it may be booked or cancelled, what it costs,
how many places are left. Loaded in a constant number of queries, then pure Python:
the agenda (selectors) and the writes (services) use the same ``Planning``.

Rules of the calendar: a unit is open on a day when the day is in one of the service's
periods of a kind the unit runs in (Wednesday periods: Wednesdays only), on one of the
unit's weekdays, in the school year of the child's accepted enrolment, not in the
commune zone's school holidays (except in a holiday period), not a public holiday, not
in a closure; and the unit is offered at the enrolment's site.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from espace_prive.catalogue.models import TariffGrid
from espace_prive.catalogue.selectors import TariffNotFound, price_from_grid

from . import reference_cache, rules
from .holidays import public_holiday_name
from .models import (
    ActivityUnit,
    Booking,
    BookingState,
    Closure,
    Enrolment,
    EnrolmentState,
    Period,
    PeriodKind,
    SchoolHoliday,
    ServiceRules,
    UnitCapacity,
    UnitDay,
)

CENT = Decimal("0.01")
# Deadlines count working days back from the day: closures that far back matter.
DEADLINE_LOOKBACK = datetime.timedelta(days=130)


def fr_date(day):
    return day.strftime("%d/%m/%Y")


def money(amount):
    return f"{amount:.2f}".replace(".", ",") + " €"


@dataclass(frozen=True)
class DayStatus:
    open: bool
    reason: str = ""
    period: Period | None = None


@dataclass(frozen=True)
class Tariff:
    """What a family pays on a day: resident or not, the QF used (None: no valid QF),
    and, when it is not the family's own band, why."""

    resident: bool
    quotient: Decimal | None
    explanation: str = ""


@dataclass(frozen=True)
class DayPrice:
    amount: Decimal | None
    tariff: Tariff
    error: str = ""


class Planning:
    def __init__(self, *, child, start, end, services=None, now=None, live=True, cached=False):
        """``live=False`` leaves out the places taken and the child's bookings (a write
        reads them again under its locks); ``cached=True`` (reads only) takes the
        reference data from ``reference_cache``."""
        self.child = child
        self.family = child.family
        self.start, self.end = start, end
        self.now = now or timezone.now()
        enrolments = Enrolment.objects.filter(
            child=child,
            state=EnrolmentState.ACCEPTED,
            school_year__starts_on__lte=end,
            school_year__ends_on__gte=start,
        ).select_related("school_year__commune", "service", "site")
        if services is not None:
            enrolments = enrolments.filter(service__in=services)
        self.enrolments = list(enrolments)
        service_ids = sorted({e.service_id for e in self.enrolments})
        years = {e.school_year_id: e.school_year for e in self.enrolments}
        communes = {y.commune_id: y.commune for y in years.values()}
        zones = sorted({c.school_zone for c in communes.values()})
        args = (service_ids, sorted(years), sorted(communes), zones, start, end)
        if cached:
            key = ":".join(",".join(map(str, part)) for part in args[:4])
            reference = reference_cache.cached(
                f"{key}:{start}:{end}", lambda: self._reference(*args)
            )
        else:
            reference = self._reference(*args)
        for name, value in reference.items():
            setattr(self, name, value)
        commune_wide = defaultdict(set)
        for commune_id, closures in self.closures.items():
            for closure in closures:
                if closure.is_commune_wide:
                    day = closure.first_day
                    while day <= closure.last_day:
                        commune_wide[commune_id].add(day)
                        day += datetime.timedelta(days=1)
        self.working_days = {
            pk: rules.WorkingDays(commune.holiday_calendar, frozenset(commune_wide[pk]))
            for pk, commune in communes.items()
        }
        unit_ids = [u.pk for u in self.units]
        self.day_places, self.counts, self.bookings = {}, {}, {}
        if live:
            self.load_live(unit_ids)

    @staticmethod
    def _reference(service_ids, year_ids, commune_ids, zones, start, end):
        """The rows every child enrolled in these services reads alike (nine queries)."""
        units = list(
            ActivityUnit.objects.filter(service_id__in=service_ids, is_active=True)
            .select_related("service")
            .prefetch_related("sites")
            .order_by("service__sort_order", "service__name", "sort_order", "starts_at")
        )
        periods = defaultdict(list)
        for period in Period.objects.filter(
            service_id__in=service_ids,
            school_year_id__in=year_ids,
            starts_on__lte=end,
            ends_on__gte=start,
        ).order_by("starts_on"):
            periods[period.service_id].append(period)
        school_holidays = defaultdict(list)
        for holiday in SchoolHoliday.objects.filter(
            zone__in=zones, first_day_off__lte=end, last_day_off__gte=start
        ):
            school_holidays[holiday.zone].append(holiday)
        closures = defaultdict(list)
        for closure in Closure.objects.filter(
            commune_id__in=commune_ids,
            first_day__lte=end,
            last_day__gte=start - DEADLINE_LOOKBACK,
        ):
            closures[closure.commune_id].append(closure)
        grids = defaultdict(list)
        for grid in TariffGrid.objects.filter(
            service_id__in=service_ids, valid_from__lte=end, valid_until__gte=start
        ).prefetch_related("bands"):
            grids[grid.service_id].append(grid)
        return {
            "units": units,
            "unit_sites": {u.pk: {s.pk for s in u.sites.all()} for u in units},
            "rules": {
                r.service_id: r
                for r in ServiceRules.objects.filter(service_id__in=service_ids).select_related(
                    "booking_deadline", "cancel_deadline"
                )
            },
            "periods": periods,
            "school_holidays": school_holidays,
            "closures": closures,
            "grids": grids,
            "default_places": {
                (c.unit_id, c.site_id): c.places
                for c in UnitCapacity.objects.filter(unit__in=[u.pk for u in units])
            },
        }

    def load_live(self, unit_ids):
        start, end = self.start, self.end
        self.day_places = {
            (d.unit_id, d.site_id, d.day): d.places
            for d in UnitDay.objects.filter(
                unit_id__in=unit_ids, day__gte=start, day__lte=end, places__isnull=False
            )
        }
        # Places taken only where the child is enrolled: in a large town a unit runs at
        # dozens of sites, and counting them all made each agenda scan the whole month.
        site_ids = {enrolment.site_id for enrolment in self.enrolments}
        self.counts = {
            (row["unit_id"], row["site_id"], row["day"]): (row["booked"], row["waiting"])
            for row in Booking.objects.filter(
                unit_id__in=unit_ids,
                site_id__in=site_ids,
                day__gte=start,
                day__lte=end,
                state__in=[BookingState.BOOKED, BookingState.WAITING],
            )
            .values("unit_id", "site_id", "day")
            .annotate(
                booked=Count("id", filter=Q(state=BookingState.BOOKED)),
                waiting=Count("id", filter=Q(state=BookingState.WAITING)),
            )
        }
        self.bookings = {
            (b.unit_id, b.day): b
            for b in Booking.objects.filter(
                child=self.child, day__gte=start, day__lte=end, unit_id__in=unit_ids
            ).select_related("absence__declaration__reason")
        }

    # --- Enrolments and units ----------------------------------------------------------

    def unit(self, pk):
        return next((u for u in self.units if u.pk == pk), None)

    def enrolment_for(self, service_id, day):
        for enrolment in self.enrolments:
            if enrolment.service_id == service_id and enrolment.school_year.contains(day):
                return enrolment
        return None

    def units_of(self, enrolment):
        return [
            u
            for u in self.units
            if u.service_id == enrolment.service_id and enrolment.site_id in self.unit_sites[u.pk]
        ]

    def offered_at(self, unit, site_id):
        return site_id in self.unit_sites.get(unit.pk, set())

    # --- Calendar ----------------------------------------------------------------------

    def _period_of(self, unit, day, school_year_id):
        for period in self.periods[unit.service_id]:
            if period.school_year_id != school_year_id or not period.contains(day):
                continue
            if not unit.runs_in(period.kind):
                continue
            if period.kind == PeriodKind.WEDNESDAYS and day.weekday() != 2:
                continue
            return period
        return None

    def _school_holiday(self, zone, day):
        for holiday in self.school_holidays[zone]:
            if holiday.first_day_off <= day <= holiday.last_day_off:
                return holiday
        return None

    def status(self, unit, day, enrolment=None):
        """Whether ``unit`` is open on ``day`` for the child (and why not)."""
        enrolment = enrolment or self.enrolment_for(unit.service_id, day)
        if enrolment is None:
            return DayStatus(False, "Hors de l'année scolaire de l'inscription.")
        if not self.offered_at(unit, enrolment.site_id):
            return DayStatus(False, f"« {unit.name} » n'est pas proposé à {enrolment.site}.")
        commune = enrolment.school_year.commune
        holiday = public_holiday_name(day, commune.holiday_calendar)
        if holiday:
            return DayStatus(False, f"Jour férié ({holiday}).")
        for closure in self.closures[commune.pk]:
            if closure.first_day <= day <= closure.last_day and closure.applies_to(
                unit=unit, site=enrolment.site
            ):
                return DayStatus(False, f"Fermeture : {closure.reason}.")
        period = self._period_of(unit, day, enrolment.school_year_id)
        if period is None:
            return DayStatus(False, "Pas d'accueil ce jour-là (hors des périodes du service).")
        if period.kind != PeriodKind.HOLIDAYS:
            school_holiday = self._school_holiday(commune.school_zone, day)
            if school_holiday is not None:
                return DayStatus(False, f"{school_holiday.name} (zone {commune.school_zone}).")
        if day.weekday() not in unit.weekdays:
            weekday = rules.WEEKDAY_NAMES[day.weekday()]
            return DayStatus(False, f"Pas de « {unit.name} » le {weekday}.")
        return DayStatus(True, period=period)

    # --- Deadlines ---------------------------------------------------------------------

    def deadline(self, unit, day, *, cancel=False, period=None, enrolment=None):
        """The deadline to book (or cancel) ``day``; None when the service has no rules."""
        service_rules = self.rules.get(unit.service_id)
        if service_rules is None:
            return None
        rule = service_rules.effective_cancel_deadline if cancel else service_rules.booking_deadline
        enrolment = enrolment or self.enrolment_for(unit.service_id, day)
        working = self.working_days.get(enrolment.school_year.commune_id) if enrolment else None
        return rules.deadline(rule, day, period=period, working_days=working)

    def rule_text(self, unit, *, cancel=False):
        service_rules = self.rules.get(unit.service_id)
        if service_rules is None:
            return ""
        rule = service_rules.effective_cancel_deadline if cancel else service_rules.booking_deadline
        return rule.describe()

    def before_deadline(self, unit, day, *, cancel=False, period=None):
        limit = self.deadline(unit, day, cancel=cancel, period=period)
        return limit is None or self.now < limit

    # --- Prices ------------------------------------------------------------------------

    def tariff(self, enrolment, day):
        commune = enrolment.school_year.commune
        family = self.family
        # Asked for every day of a pattern: the same answer for the whole planning.
        residents = self.__dict__.setdefault("_residents", {})
        if commune.pk not in residents:
            residents[commune.pk] = commune.is_resident(family)
        resident = residents[commune.pk]
        valid = family.qf_is_valid_on(day)
        quotient = family.quotient_familial if valid else None
        if not resident:
            return Tariff(
                False,
                quotient,
                f"Tarif hors commune : l'adresse du foyer n'est pas à {commune.name}.",
            )
        if quotient is None:
            if family.quotient_familial is None or family.qf_valid_from is None:
                why = "aucun quotient familial validé n'est enregistré dans votre dossier"
            elif family.qf_valid_from > day:
                why = (
                    "votre quotient familial n'est valable qu'à partir du "
                    f"{fr_date(family.qf_valid_from)}"
                )
            else:
                why = (
                    "votre quotient familial n'est valable que jusqu'au "
                    f"{fr_date(family.qf_valid_to)}"
                )
            return Tariff(
                True,
                None,
                f"Tarif sans quotient familial : {why}. Envoyez votre attestation CAF ou MSA "
                "pour payer le tarif de votre tranche.",
            )
        return Tariff(True, quotient)

    def price(self, unit, day, enrolment=None):
        """The price of ``unit`` on ``day``: the catalogue's unit price for the QF valid
        on that day, times the unit's quantity, rounded to the cent."""
        enrolment = enrolment or self.enrolment_for(unit.service_id, day)
        tariff = self.tariff(enrolment, day)
        grid = next((g for g in self.grids[unit.service_id] if g.covers(day)), None)
        if grid is None:
            return DayPrice(None, tariff, f"Aucun tarif en vigueur le {fr_date(day)}.")
        quotient = tariff.quotient
        if quotient is not None and quotient == quotient.to_integral_value():
            quotient = int(quotient)
        try:
            unit_price = price_from_grid(grid, quotient, resident=tariff.resident)
        except TariffNotFound as error:
            return DayPrice(None, tariff, str(error))
        amount = (unit_price * unit.quantity).quantize(CENT, rounding=ROUND_HALF_UP)
        return DayPrice(amount, tariff)

    # --- Capacity ----------------------------------------------------------------------

    def places(self, unit, site_id, day):
        """Places that day (None: no limit)."""
        key = (unit.pk, site_id, day)
        if key in self.day_places:
            return self.day_places[key]
        return self.default_places.get((unit.pk, site_id))

    def is_full(self, unit, site_id, day):
        places = self.places(unit, site_id, day)
        booked, waiting = self.counts.get((unit.pk, site_id, day), (0, 0))
        return places is not None and (booked >= places or waiting > 0)
