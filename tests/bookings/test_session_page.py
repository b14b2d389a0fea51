"""The family page of a holiday session sold whole (issue 11, item 3): the agenda shows
each session with its days and total before booking; booking books every day, a full
session puts every day on the waiting list, a session past its deadline is refused.
Dates are relative to today (tests/api/bookings_helpers.py)."""

import pytest
from django.urls import reverse

from espace_prive.bookings import services
from espace_prive.bookings.models import Booking, BookingState
from tests.api.bookings_helpers import enrol, live_calendar, live_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen(db):
    return live_calendar()


@pytest.fixture
def child_a(family_a, canteen):
    child = family_a.family.children.get()
    enrol(child, canteen)
    return child


def _text(response):
    return response.content.decode().replace("&#x27;", "'")


def _agenda(client, child, period):
    url = reverse("espace_prive:bookings:agenda", kwargs={"child_id": child.public_id})
    return _text(client.get(f"{url}?mois={period.starts_on:%Y-%m}"))


def _book(client, child, period, unit):
    return client.post(
        reverse("espace_prive:bookings:session_book", kwargs={"child_id": child.public_id}),
        {"period": str(period.public_id), "unit": str(unit.public_id)},
        follow=True,
    )


def test_a_family_sees_the_session_total_then_books_every_day(client_a, family_a, child_a, canteen):
    period, unit = live_session(canteen, places=1)
    preview = services.booking_session_preview(
        actor=family_a.user, child=child_a, unit=unit, period=period
    )
    days = len(preview.to_book)
    total = f"{preview.total:.2f}".replace(".", ",") + " €"
    content = _agenda(client_a, child_a, period)
    assert "Séjours à réserver en entier" in content
    assert f"{days} jours, {total}</strong> au tarif de votre famille" in content
    assert "Réserver le séjour" in content
    assert not Booking.objects.exists()
    response = _book(client_a, child_a, period, unit)
    assert f"réservé pour {child_a.first_name} : {days} jours, {total}." in _text(response)
    booked = Booking.objects.filter(child=child_a, unit=unit, state=BookingState.BOOKED)
    assert booked.count() == days
    again = _book(client_a, child_a, period, unit)
    assert "était déjà réservé" in _text(again)
    assert Booking.objects.count() == days
    assert "Séjour déjà réservé" in _agenda(client_a, child_a, period)


def test_a_full_session_puts_the_child_on_the_waiting_list_for_every_day(
    client_a, family_b, child_a, canteen, staff_user
):
    period, unit = live_session(canteen, places=1)
    other = family_b.family.children.get()
    enrol(other, canteen)
    services.booking_session_book(actor=staff_user, child=other, unit=unit, period=period)
    content = _agenda(client_a, child_a, period)
    assert "complet : la réservation ira sur la liste d'attente" in content
    assert "S'inscrire sur la liste d'attente" in content
    response = _book(client_a, child_a, period, unit)
    assert "est complet" in _text(response) and "pour tout le séjour" in _text(response)
    mine = Booking.objects.filter(child=child_a)
    assert mine.exists()
    assert set(mine.values_list("state", flat=True)) == {BookingState.WAITING}
    assert mine.count() == Booking.objects.filter(child=other).count()


def test_a_session_past_its_deadline_is_refused_and_nothing_stored(client_a, child_a, canteen):
    period, unit = live_session(canteen, starts_in=1, length=5, name="Stage de demain")
    content = _agenda(client_a, child_a, period)
    assert "Le délai de réservation de « Stage de demain » est passé" in content
    assert "Réserver le séjour" not in content
    response = _book(client_a, child_a, period, unit)
    assert "Le délai de réservation de « Stage de demain » est passé" in _text(response)
    assert not Booking.objects.exists()


def test_another_familys_child_session_is_404_and_nothing_stored(client_b, child_a, canteen):
    period, unit = live_session(canteen)
    response = client_b.post(
        reverse("espace_prive:bookings:session_book", kwargs={"child_id": child_a.public_id}),
        {"period": str(period.public_id), "unit": str(unit.public_id)},
    )
    assert response.status_code == 404
    assert child_a.first_name not in _text(response)
    assert not Booking.objects.exists()
