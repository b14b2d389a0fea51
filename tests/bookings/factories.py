"""Factories of the bookings app: a commune of zone A, a school year, a canteen service
with a lunch unit at one school, an accepted enrolment.

The school year is the reference year 2026-2027 by default: tests that fix the clock
(``now=``, ``NOW`` of tests/bookings/conftest.py) keep their dates and their meaning
whatever today is. Tests whose pages, API or selectors read the real clock take
``make_calendar(current=True)`` (the school year holding today) or
``tests.api.bookings_helpers.live_calendar`` (a year from 60 days ago to 300 days ahead,
for days to book from now on)."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from espace_prive.bookings.models import (
    ActivityUnit,
    Commune,
    DeadlineRule,
    Enrolment,
    Period,
    SchoolYear,
    ServiceRules,
    UnitCapacity,
)
from espace_prive.catalogue.models import Service, TariffBand, TariffGrid
from espace_prive.catalogue.selectors import school_year_bounds
from tests.factories import make_site

_sequence = itertools.count(1)

YEAR_START = datetime.date(2026, 9, 1)
YEAR_END = datetime.date(2027, 7, 2)


def current_school_year_bounds():
    """First and last day (1 September, 31 August) of the school year holding today."""
    return school_year_bounds(timezone.localdate())


def make_commune(**fields):
    fields.setdefault("name", f"Commune {next(_sequence)}")
    fields.setdefault("school_zone", Commune.Zone.A)
    return Commune.objects.create(**fields)


def make_school_year(*, commune=None, starts_on=YEAR_START, ends_on=YEAR_END, **fields):
    commune = commune or make_commune()
    fields.setdefault("label", f"{starts_on.year}-{starts_on.year + 1}")
    return SchoolYear.objects.create(
        commune=commune, starts_on=starts_on, ends_on=ends_on, **fields
    )


def make_deadline(**fields):
    fields.setdefault("name", f"Délai {next(_sequence)}")
    fields.setdefault("kind", DeadlineRule.Kind.DAYS_BEFORE)
    fields.setdefault("days", 2)
    fields.setdefault("at_time", datetime.time(10, 0))
    return DeadlineRule.objects.create(**fields)


def make_service(
    *, unit=Service.Unit.MEAL, kind=Service.Kind.CANTEEN, prices=None, year_start=YEAR_START,
    **fields,
):  # fmt: skip
    """A service with a tariff grid from August before ``year_start`` to the next August."""
    n = next(_sequence)
    fields.setdefault("name", f"Service {n}")
    fields.setdefault("slug", f"service-{n}")
    service = Service.objects.create(kind=kind, unit=unit, **fields)
    grid = TariffGrid.objects.create(
        service=service,
        label=f"{year_start.year}-{year_start.year + 1}",
        valid_from=datetime.date(year_start.year, 8, 1),
        valid_until=datetime.date(year_start.year + 1, 8, 31),
        non_resident_price=Decimal("6.00"),
    )
    bands = prices or [(0, 500, "1.00"), (500, 1000, "2.50"), (1000, None, "4.00")]
    for qf_min, qf_max, price in bands:
        TariffBand.objects.create(grid=grid, qf_min=qf_min, qf_max=qf_max, price=Decimal(price))
    return service


def make_calendar(
    *, commune=None, deadline=None, cancel_deadline=None, places=None, current=False,
    **unit_fields,
):  # fmt: skip
    """A school year (the reference year, or with ``current`` the one holding today), a
    canteen service (periods: the school weeks), a lunch unit at a school (Monday,
    Tuesday, Thursday, Friday), its rules; returns a dict of them."""
    if current:
        starts_on, ends_on = current_school_year_bounds()
        year = make_school_year(commune=commune, starts_on=starts_on, ends_on=ends_on)
    else:
        year = make_school_year(commune=commune)
    service = make_service(year_start=year.starts_on)
    site = make_site()
    service.sites.add(site)
    Period.objects.create(
        service=service,
        school_year=year,
        kind=Period.Kind.SCHOOL_WEEKS,
        name="Semaines scolaires",
        starts_on=year.starts_on,
        ends_on=year.ends_on,
    )
    unit_fields.setdefault("name", "Repas")
    unit_fields.setdefault("kind", ActivityUnit.Kind.MEAL)
    unit_fields.setdefault("starts_at", datetime.time(11, 30))
    unit_fields.setdefault("ends_at", datetime.time(13, 30))
    unit = ActivityUnit.objects.create(service=service, price_unit=service.unit, **unit_fields)
    unit.sites.add(site)
    if places is not None:
        UnitCapacity.objects.create(unit=unit, site=site, places=places)
    ServiceRules.objects.create(
        service=service,
        booking_deadline=deadline or make_deadline(),
        cancel_deadline=cancel_deadline,
    )
    return {"year": year, "service": service, "site": site, "unit": unit, "commune": year.commune}


def make_enrolment(*, child, calendar, state=Enrolment.State.ACCEPTED, **fields):
    decided = state != Enrolment.State.PENDING
    return Enrolment.objects.create(
        child=child,
        service=calendar["service"],
        site=calendar["site"],
        school_year=calendar["year"],
        state=state,
        decided_at=timezone.now() if decided else None,
        reason=fields.pop("reason", "Motif" if state == Enrolment.State.REFUSED else ""),
        **fields,
    )
