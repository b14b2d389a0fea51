"""Peak season: 200 families book the last 20 places of one day at once.

Real threads, each with its own PostgreSQL connection (at most ``CONNECTIONS`` open at a
time: the team's server allows 100 in all); the control removes the row lock and shows
the same harness then catches the overbooking.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import connections

from espace_prive.bookings import services
from espace_prive.bookings.models import Booking, BookingState, UnitCapacity, UnitDay
from espace_prive.bookings.services import bookings as booking_services
from tests.bookings.conftest import NOW
from tests.bookings.factories import make_enrolment
from tests.factories import make_family_with_login, make_staff

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.DATABASE_IS_POSTGRES, reason="needs PostgreSQL: real row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FAMILIES = 200
PLACES_LEFT = 20
ALREADY_BOOKED = 10
CONNECTIONS = 25
DAY = "2026-12-15"


@pytest.fixture
def crowd(canteen):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=ALREADY_BOOKED + PLACES_LEFT)
    staff = make_staff(superuser=True)
    for _ in range(ALREADY_BOOKED):
        family, _user = make_family_with_login()
        child = family.children.get()
        make_enrolment(child=child, calendar=canteen)
        services.booking_book(actor=staff, child=child, unit=canteen["unit"], day=DAY, now=NOW)
    people = []
    for _ in range(FAMILIES):
        family, user = make_family_with_login()
        child = family.children.select_related("family").get()
        make_enrolment(child=child, calendar=canteen)
        people.append((user, child))
    return people


def _rush(people, unit, pause):
    """Every family books at once; returns the errors."""
    start = threading.Barrier(len(people), timeout=60)
    gate = threading.BoundedSemaphore(CONNECTIONS)
    errors = []

    def checkpoint():
        time.sleep(pause)

    booking_services._capacity_checkpoint = checkpoint

    def book(user, child):
        try:
            start.wait()
            with gate:
                try:
                    services.booking_book(actor=user, child=child, unit=unit, day=DAY, now=NOW)
                finally:
                    connections.close_all()
        except Exception as error:  # pragma: no cover - shown in the assertion
            errors.append(repr(error))

    threads = [threading.Thread(target=book, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def restore_checkpoint():
    original = booking_services._capacity_checkpoint
    yield
    booking_services._capacity_checkpoint = original


def test_200_families_for_20_places_give_20_booked_and_180_waiting_in_order(
    crowd, canteen, restore_checkpoint
):
    errors = _rush(crowd, canteen["unit"], pause=0.002)
    assert errors == []
    ours = Booking.objects.filter(child__in=[child for _user, child in crowd])
    assert ours.filter(state=BookingState.BOOKED).count() == PLACES_LEFT
    assert ours.filter(state=BookingState.WAITING).count() == FAMILIES - PLACES_LEFT
    assert Booking.objects.filter(state=BookingState.BOOKED).count() == 30
    # Arrival order: every booked child came before every waiting one, and the waiting
    # list's order (queued_at, id) is the order the rows were written in.
    in_order = list(ours.order_by("queued_at", "id").values_list("state", "id"))
    assert [state for state, _id in in_order] == (
        [BookingState.BOOKED] * PLACES_LEFT + [BookingState.WAITING] * (FAMILIES - PLACES_LEFT)
    )
    assert [pk for _state, pk in in_order] == sorted(pk for _state, pk in in_order)

    # A cancellation then promotes exactly one child: the first who waited.
    first_waiting = ours.filter(state=BookingState.WAITING).order_by("queued_at", "id").first()
    cancelled = ours.filter(state=BookingState.BOOKED).first()
    user = next(user for user, child in crowd if child.pk == cancelled.child_id)
    services.booking_cancel(actor=user, booking=cancelled, now=NOW)
    assert Booking.objects.filter(state=BookingState.BOOKED).count() == 30
    assert list(Booking.objects.filter(promoted_at__isnull=False)) == [first_waiting]


def test_control_without_the_lock_the_harness_sees_the_overbooking(
    crowd, canteen, monkeypatch, restore_checkpoint
):
    def no_lock(keys):
        keys = sorted(set(keys))
        UnitDay.objects.bulk_create(
            [UnitDay(unit_id=u, site_id=s, day=d) for u, s, d in keys], ignore_conflicts=True
        )
        return {(r.unit_id, r.site_id, r.day): r for r in UnitDay.objects.all()}

    monkeypatch.setattr(booking_services, "_lock_unit_days", no_lock)
    errors = _rush(crowd, canteen["unit"], pause=0.05)
    assert errors == []
    assert Booking.objects.filter(state=BookingState.BOOKED).count() > 30
