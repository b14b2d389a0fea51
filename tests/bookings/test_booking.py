"""Booking one day: the rules a family meets, the French refusals (nothing stored), the
same booking twice, staff past the deadline."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from espace_prive.bookings import services
from espace_prive.bookings.models import (
    ActivityUnit,
    Booking,
    BookingEvent,
    Closure,
    Enrolment,
)
from tests.bookings.factories import make_enrolment
from tests.factories import make_child, make_site

pytestmark = pytest.mark.django_db

TUESDAY = datetime.date(2026, 12, 8)  # deadline Friday 4 December 10:00
MONDAY = datetime.date(2026, 12, 7)  # deadline Thursday 3 December 10:00: passed at noon


def _refused(now, match, **kwargs):
    before = Booking.objects.count(), BookingEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.booking_book(now=now, **kwargs)
    assert match in " ".join(error.value.messages)
    assert (Booking.objects.count(), BookingEvent.objects.count()) == before
    return error.value


def test_a_family_books_a_day(family_a, child_a, canteen, now):
    booking = services.booking_book(
        actor=family_a.user, child=child_a, unit=canteen["unit"], day=TUESDAY, now=now
    )
    assert booking.state == Booking.State.BOOKED
    assert not booking.created_by_staff and booking.created_by == family_a.user
    event = booking.events.get()
    assert event.action == "reservation" and not event.by_staff


def test_the_same_booking_twice_is_one_booking(family_a, child_a, canteen, now):
    kwargs = {"actor": family_a.user, "child": child_a, "unit": canteen["unit"], "now": now}
    first = services.booking_book(day=TUESDAY, **kwargs)
    again = services.booking_book(day="2026-12-08", **kwargs)
    assert first.pk == again.pk
    assert Booking.objects.count() == 1 and BookingEvent.objects.count() == 1


def test_a_child_not_enrolled_is_refused(family_a, canteen, now):
    child = family_a.family.children.get()
    _refused(
        now,
        "n'est pas inscrit",
        actor=family_a.user,
        child=child,
        unit=canteen["unit"],
        day=TUESDAY,
    )


def test_a_pending_enrolment_is_not_enough(family_a, canteen, now):
    child = family_a.family.children.get()
    make_enrolment(child=child, calendar=canteen, state=Enrolment.State.PENDING)
    _refused(
        now,
        "attend encore la validation",
        actor=family_a.user,
        child=child,
        unit=canteen["unit"],
        day=TUESDAY,
    )


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (datetime.date(2027, 5, 17), "Jour férié (Lundi de Pentecôte)"),
        (datetime.date(2026, 12, 22), "Vacances de Noël (zone A)"),
        (datetime.date(2026, 12, 9), "Pas de « Repas » le mercredi"),
        (datetime.date(2026, 12, 12), "Pas de « Repas » le samedi"),
    ],
)
def test_a_closed_day_is_refused_with_its_reason(family_a, child_a, canteen, now, day, reason):
    _refused(now, reason, actor=family_a.user, child=child_a, unit=canteen["unit"], day=day)


def test_a_one_off_closure_is_refused(family_a, child_a, canteen, now):
    Closure.objects.create(
        commune=canteen["commune"],
        site=canteen["site"],
        first_day=TUESDAY,
        last_day=TUESDAY,
        reason="Grève",
    )
    _refused(
        now,
        "Fermeture : Grève",
        actor=family_a.user,
        child=child_a,
        unit=canteen["unit"],
        day=TUESDAY,
    )


def test_a_date_outside_the_school_year_is_refused(family_a, child_a, canteen, now):
    _refused(
        now,
        "en dehors de l'année scolaire 2026-2027",
        actor=family_a.user,
        child=child_a,
        unit=canteen["unit"],
        day=datetime.date(2027, 7, 12),
    )


def test_a_unit_the_site_does_not_offer_is_refused(family_a, child_a, canteen, now):
    unit = ActivityUnit.objects.create(
        service=canteen["service"],
        name="Goûter",
        kind=ActivityUnit.Kind.SESSION,
        starts_at=datetime.time(16, 30),
        ends_at=datetime.time(17),
        price_unit="repas",
    )
    unit.sites.add(make_site())
    _refused(now, "n'est pas proposé", actor=family_a.user, child=child_a, unit=unit, day=TUESDAY)


@pytest.mark.parametrize("day", ["2026-13-45", "08/12/2026", "", None, 20261208])
def test_a_malformed_date_is_refused(family_a, child_a, canteen, now, day):
    error = _refused(
        now, "Date invalide", actor=family_a.user, child=child_a, unit=canteen["unit"], day=day
    )
    assert "day" in error.message_dict


def test_past_the_deadline_a_family_is_refused(family_a, child_a, canteen, now):
    _refused(
        now,
        "Délai de réservation passé (jusqu'à J-2 à 10 h, jours ouvrés)",
        actor=family_a.user,
        child=child_a,
        unit=canteen["unit"],
        day=MONDAY,
    )


def test_staff_book_past_the_deadline_recorded_as_staff(child_a, canteen, now, staff_user):
    booking = services.booking_book(
        actor=staff_user, child=child_a, unit=canteen["unit"], day=MONDAY, now=now
    )
    assert booking.state == Booking.State.BOOKED and booking.created_by_staff
    event = booking.events.get()
    assert event.by_staff and event.past_deadline and event.actor == staff_user


def test_another_family_cannot_book_for_my_child(family_b, child_a, canteen, now):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.booking_book(
            actor=family_b.user, child=child_a, unit=canteen["unit"], day=TUESDAY, now=now
        )
    assert not Booking.objects.exists()


def test_beyond_capacity_goes_to_the_waiting_list_in_arrival_order(canteen, now, staff_user):
    children = [make_child() for _ in range(4)]
    for child in children:
        make_enrolment(child=child, calendar=canteen)
    states = [
        services.booking_book(
            actor=staff_user, child=child, unit=canteen["unit"], day=TUESDAY, now=now
        ).state
        for child in children
    ]
    assert states == ["reservee", "reservee", "liste_attente", "liste_attente"]
