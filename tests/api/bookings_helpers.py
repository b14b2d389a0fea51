"""A canteen calendar around today, for the API and the iCal feed: the API takes the
real time (no ``now=``), so the school year, the tariff grid and the deadlines are
placed relative to today; open days are found through the agenda itself."""

import datetime

from django.utils import timezone

from espace_prive.bookings import selectors
from espace_prive.bookings.models import ActivityUnit, DeadlineRule, Period, UnitCapacity
from espace_prive.catalogue.models import TariffGrid
from tests.bookings.factories import make_calendar, make_deadline, make_enrolment, make_school_year


def live_calendar(*, places=None, cancel_days=None, deadline=None):
    """A canteen whose school year runs from 60 days ago to 300 days ahead; book and
    cancel until D-2 at 10:00, or by ``deadline`` (``cancel_days`` sets a cancellation
    rule of its own)."""
    today = timezone.localdate()
    year = make_school_year(
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=300),
        label=f"API {today.isoformat()}",
    )
    cancel = None
    if cancel_days is not None:
        cancel = make_deadline(kind=DeadlineRule.Kind.DAYS_BEFORE, days=cancel_days)
    calendar = make_calendar(
        commune=year.commune,
        deadline=deadline or make_deadline(days=2),
        cancel_deadline=cancel,
        places=places,
    )
    # make_calendar made its own school year: move its period and grid onto ours.
    calendar["service"].booking_periods.update(
        school_year=year, starts_on=year.starts_on, ends_on=year.ends_on
    )
    calendar["year"].delete()
    calendar["year"] = year
    TariffGrid.objects.filter(service=calendar["service"]).update(
        valid_from=year.starts_on, valid_until=year.ends_on
    )
    return calendar


def enrol(child, calendar, **fields):
    return make_enrolment(child=child, calendar=calendar, **fields)


def bookable_days(child, count, *, after=3):
    """The next ``count`` days the child may book (open, before the deadline)."""
    start = timezone.localdate() + datetime.timedelta(days=after)
    days = []
    while len(days) < count:
        end = start + datetime.timedelta(days=40)
        days += [e.day for e in selectors.agenda_for_child(child, start, end) if e.can_book]
        start = end + datetime.timedelta(days=1)
    return days[:count]


def live_session(calendar, *, starts_in=30, length=7, places=None, name="Stage de printemps"):
    """A holiday session of ``calendar``'s service sold whole: a « Journée » unit open
    every weekday of holiday periods, at the calendar's site, from ``starts_in`` days
    from today for ``length`` days. Returns ``(period, unit)``."""
    start = timezone.localdate() + datetime.timedelta(days=starts_in)
    unit = ActivityUnit.objects.create(
        service=calendar["service"],
        name="Journée de stage",
        kind=ActivityUnit.Kind.DAY,
        price_unit=calendar["service"].unit,
        starts_at=datetime.time(8),
        ends_at=datetime.time(18),
        on_wednesday=True,
        in_school_weeks=False,
        in_holidays=True,
    )
    unit.sites.add(calendar["site"])
    if places is not None:
        UnitCapacity.objects.create(unit=unit, site=calendar["site"], places=places)
    period = Period.objects.create(
        service=calendar["service"],
        school_year=calendar["year"],
        kind=Period.Kind.HOLIDAYS,
        name=name,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=length - 1),
        sold_as_session=True,
    )
    return period, unit
