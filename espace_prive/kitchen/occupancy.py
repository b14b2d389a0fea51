"""The occupancy dashboard: for each service, site and unit, booked / places on every
day of a month, the waiting lists, and last month's attendance rate.

Attendance (pointage) is recorded by another app. It plugs in here with
``register_attendance_provider``: a function ``provider(*, start, end)`` returning
``{(service_id, site_id): (present, expected)}`` for the days from ``start`` to ``end``.
With no provider registered the dashboard shows no attendance rate (never a figure
guessed from the bookings). Read in a constant number of queries (five).
"""

import calendar
import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from espace_prive.bookings.models import ActivityUnit, Booking, BookingState, UnitCapacity, UnitDay

_attendance_providers = []


def register_attendance_provider(provider):
    """``provider(*, start, end)`` → ``{(service_id, site_id): (present, expected)}``."""
    if provider not in _attendance_providers:
        _attendance_providers.append(provider)
    return provider


def unregister_attendance_provider(provider):
    if provider in _attendance_providers:
        _attendance_providers.remove(provider)


def has_attendance_provider():
    return bool(_attendance_providers)


def attendance(*, start, end):
    """``{(service_id, site_id): (present, expected)}`` summed over the providers, or
    None when no provider is registered."""
    if not _attendance_providers:
        return None
    totals = defaultdict(lambda: [0, 0])
    for provider in _attendance_providers:
        for key, (present, expected) in provider(start=start, end=end).items():
            totals[key][0] += present
            totals[key][1] += expected
    return {key: tuple(value) for key, value in totals.items()}


@dataclass
class Cell:
    day: datetime.date
    booked: int = 0
    waiting: int = 0
    places: int | None = None

    @property
    def is_full(self):
        return self.places is not None and self.booked >= self.places

    @property
    def label(self):
        if not (self.booked or self.waiting):
            return "–"
        text = str(self.booked) if self.places is None else f"{self.booked}/{self.places}"
        return f"{text} +{self.waiting}" if self.waiting else text


@dataclass
class Line:
    service: object
    site: object
    unit: ActivityUnit
    cells: list = field(default_factory=list)
    attendance: tuple | None = None  # (present, expected) last month

    @property
    def booked(self):
        return sum(cell.booked for cell in self.cells)

    @property
    def waiting(self):
        return sum(cell.waiting for cell in self.cells)

    @property
    def full_days(self):
        return sum(1 for cell in self.cells if cell.is_full)

    @property
    def attendance_rate(self):
        if not self.attendance or not self.attendance[1]:
            return None
        present, expected = self.attendance
        return round(100 * present / expected)


@dataclass
class Dashboard:
    first: datetime.date
    last: datetime.date
    days: list
    lines: list
    shows_attendance: bool
    attendance_start: datetime.date
    attendance_end: datetime.date


def month_bounds(year, month):
    first = datetime.date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def dashboard(year, month):
    first, last = month_bounds(year, month)
    days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
    previous_last = first - datetime.timedelta(days=1)
    previous_first = previous_last.replace(day=1)
    units = list(
        ActivityUnit.objects.filter(is_active=True)
        .select_related("service")
        .prefetch_related("sites")
        .order_by("service__sort_order", "service__name", "sort_order", "name")
    )
    unit_ids = [unit.pk for unit in units]
    defaults = {
        (c.unit_id, c.site_id): c.places for c in UnitCapacity.objects.filter(unit_id__in=unit_ids)
    }
    overrides = {
        (d.unit_id, d.site_id, d.day): d.places
        for d in UnitDay.objects.filter(
            unit_id__in=unit_ids, day__gte=first, day__lte=last, places__isnull=False
        )
    }
    counts = {
        (row["unit_id"], row["site_id"], row["day"]): (row["booked"], row["waiting"])
        for row in Booking.objects.filter(
            unit_id__in=unit_ids,
            day__gte=first,
            day__lte=last,
            state__in=[BookingState.BOOKED, BookingState.WAITING],
        )
        .values("unit_id", "site_id", "day")
        .annotate(
            booked=Count("id", filter=Q(state=BookingState.BOOKED)),
            waiting=Count("id", filter=Q(state=BookingState.WAITING)),
        )
        .order_by()
    }
    rates = attendance(start=previous_first, end=previous_last)
    lines = []
    for unit in units:
        for site in sorted(unit.sites.all(), key=lambda s: s.name):
            line = Line(service=unit.service, site=site, unit=unit)
            for day in days:
                booked, waiting = counts.get((unit.pk, site.pk, day), (0, 0))
                places = overrides.get((unit.pk, site.pk, day), defaults.get((unit.pk, site.pk)))
                line.cells.append(Cell(day, booked, waiting, places))
            if rates is not None:
                line.attendance = rates.get((unit.service_id, site.pk))
            lines.append(line)
    return Dashboard(
        first=first,
        last=last,
        days=days,
        lines=lines,
        shows_attendance=rates is not None,
        attendance_start=previous_first,
        attendance_end=previous_last,
    )


def dashboard_csv(board):
    """One line per service, site, unit and day: booked, places, waiting."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    header = ["Service", "Site", "Unité", "Jour", "Réservés", "Places", "Liste d'attente"]
    if board.shows_attendance:
        header.append("Taux de présence du mois précédent (%)")
    writer.writerow(header)
    for line in board.lines:
        rate = "" if line.attendance_rate is None else line.attendance_rate
        for cell in line.cells:
            if not (cell.booked or cell.waiting):
                continue
            row = [
                line.service.name,
                line.site.name,
                line.unit.name,
                cell.day.strftime("%d/%m/%Y"),
                cell.booked,
                "" if cell.places is None else cell.places,
                cell.waiting,
            ]
            if board.shows_attendance:
                row.append(rate)
            writer.writerow(row)
    return out.getvalue().encode("utf-8")
