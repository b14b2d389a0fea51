"""A site with a canteen unit open every day of the week around today, children booked
today, and agents of the site (dates relative to today, never fixed)."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from espace_prive.attendance.models import SiteAssignment
from espace_prive.bookings.models import Booking, BookingState
from tests.api.bookings_helpers import enrol, live_calendar
from tests.factories import make_child, make_family, make_guardian, make_staff


def every_day_calendar(**kwargs):
    calendar = live_calendar(**kwargs)
    unit = calendar["unit"]
    for name in ("on_wednesday", "on_saturday", "on_sunday"):
        setattr(unit, name, True)
    unit.save()
    return calendar


def book(child, calendar, *, day=None, state=BookingState.BOOKED, enrolment=None):
    enrolment = enrolment or enrol(child, calendar)
    return Booking.objects.create(
        child=child,
        enrolment=enrolment,
        unit=calendar["unit"],
        site=calendar["site"],
        day=day or timezone.localdate(),
        state=state,
    )


def booked_children(calendar, count, *, family=None):
    family = family or make_family()
    children = []
    for n in range(count):
        child = make_child(family=family, first_name=f"Enfant{n:03d}", last_name=f"Nom{n:03d}")
        book(child, calendar)
        children.append(child)
    return children


def make_animator(site=None, *, health=False, email=None):
    user = make_staff(email=email, first_name="Alex", last_name="Animateur")
    group = "Animateurs habilités santé" if health else "Animateurs"
    user.groups.add(Group.objects.get(name=group))
    if site is not None:
        SiteAssignment.objects.create(user=user, site=site)
    return user


def family_with_guardian():
    family = make_family()
    guardian = make_guardian(family=family, first_name="Anne", last_name="Roux")
    return family, guardian


def at(hour, minute=0, day=None):
    return timezone.make_aware(
        datetime.datetime.combine(day or timezone.localdate(), datetime.time(hour, minute))
    )


class _EveningClock:
    """``django.utils.timezone`` for the attendance services, with ``now()`` at 18:00
    (Paris) today: taps at 08:00 or 09:30 are past whatever the hour the suite runs at
    (after midnight, 08:00 today is still to come)."""

    def __getattr__(self, name):
        return getattr(timezone, name)

    def now(self):
        evening = datetime.datetime.combine(timezone.localdate(), datetime.time(18))
        return timezone.make_aware(evening)


def evening_clock(monkeypatch):
    """Put the attendance services' clock at 18:00 today (for a test's monkeypatch)."""
    from espace_prive.attendance import services

    monkeypatch.setattr(services, "timezone", _EveningClock())
