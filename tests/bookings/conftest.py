import datetime
import zoneinfo

import pytest

from espace_prive.bookings.models import DeadlineRule
from tests.bookings.factories import make_calendar, make_deadline, make_enrolment

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Thursday 3 December 2026, noon in Belval.
NOW = datetime.datetime(2026, 12, 3, 12, 0, tzinfo=PARIS)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def canteen(db):
    """Lunch on Monday, Tuesday, Thursday, Friday; book until J-2 10:00 (working days);
    2 places a day."""
    deadline = make_deadline(
        name="J-2 10 h ouvrés",
        kind=DeadlineRule.Kind.DAYS_BEFORE,
        days=2,
        at_time=datetime.time(10, 0),
        working_days=True,
    )
    return make_calendar(deadline=deadline, places=2)


@pytest.fixture
def child_a(family_a, canteen):
    family, _user = family_a
    child = family.children.get()
    make_enrolment(child=child, calendar=canteen)
    return child


@pytest.fixture
def child_b(family_b, canteen):
    family, _user = family_b
    child = family.children.get()
    make_enrolment(child=child, calendar=canteen)
    return child


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The shipped school holidays and absence reasons (loaded by a data migration; put
    back here when a transactional test flushed a reused test database)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from django.apps import apps

    from espace_prive.bookings.models import AbsenceReason, SchoolHoliday

    if not SchoolHoliday.objects.exists() or not AbsenceReason.objects.exists():
        module = __import__(
            "espace_prive.bookings.migrations.0002_school_holidays_and_absence_reasons",
            fromlist=["load"],
        )
        module.load(apps, None)
