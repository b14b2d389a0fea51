"""Cancelling and the waiting list: a freed place goes to the next child in arrival
order (e-mail), never inside the cancellation deadline unless staff confirm; a capacity
increase promotes too."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from espace_prive.bookings import services
from espace_prive.bookings.models import Booking, UnitCapacity, UnitDay
from tests.bookings.factories import make_enrolment
from tests.factories import make_family_with_login

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2026, 12, 11)  # cancellation deadline: Wednesday 9 December 10:00


def _family_child(canteen):
    family, user = make_family_with_login()
    child = family.children.get()
    make_enrolment(child=child, calendar=canteen)
    return user, child


@pytest.fixture
def full_day(canteen, now):
    """Two children booked, two waiting (in this order)."""
    people = [_family_child(canteen) for _ in range(4)]
    bookings = [
        services.booking_book(actor=user, child=child, unit=canteen["unit"], day=FRIDAY, now=now)
        for user, child in people
    ]
    assert [b.state for b in bookings] == ["reservee"] * 2 + ["liste_attente"] * 2
    return people, bookings


def test_a_cancellation_promotes_the_first_waiting_child(
    full_day, now, django_capture_on_commit_callbacks
):
    people, bookings = full_day
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.booking_cancel(actor=people[0][0], booking=bookings[0], now=now)
    assert cancelled.state == Booking.State.CANCELLED and not cancelled.cancelled_by_staff
    states = [Booking.objects.get(pk=b.pk).state for b in bookings]
    assert states == ["annulee", "reservee", "reservee", "liste_attente"]
    promoted = Booking.objects.get(pk=bookings[2].pk)
    assert promoted.promoted_at == now
    assert promoted.events.filter(action="place_obtenue").count() == 1
    assert len(mail.outbox) == 1 and "place s'est libérée" in mail.outbox[0].subject
    assert mail.outbox[0].to == [people[2][0].email]


def test_cancelling_twice_promotes_once(full_day, now):
    people, bookings = full_day
    services.booking_cancel(actor=people[0][0], booking=bookings[0], now=now)
    services.booking_cancel(actor=people[0][0], booking=bookings[0], now=now)
    assert Booking.objects.filter(state="reservee").count() == 2
    assert Booking.objects.filter(state="liste_attente").count() == 1


def test_leaving_the_waiting_list_promotes_nobody(full_day, now):
    people, bookings = full_day
    services.booking_cancel(actor=people[2][0], booking=bookings[2], now=now)
    assert Booking.objects.filter(state="reservee").count() == 2
    assert Booking.objects.get(pk=bookings[3].pk).state == "liste_attente"


def test_past_the_cancellation_deadline_a_family_declares_an_absence(full_day, now):
    people, bookings = full_day
    late = datetime.datetime(2026, 12, 9, 10, 1, tzinfo=now.tzinfo)
    with pytest.raises(ValidationError, match="déclarer une absence"):
        services.booking_cancel(actor=people[0][0], booking=bookings[0], now=late)
    assert Booking.objects.get(pk=bookings[0].pk).state == "reservee"


def test_inside_the_deadline_staff_cancel_but_promote_only_when_they_confirm(
    full_day, now, staff_user
):
    _people, bookings = full_day
    late = datetime.datetime(2026, 12, 9, 10, 1, tzinfo=now.tzinfo)
    cancelled = services.booking_cancel(actor=staff_user, booking=bookings[0], now=late)
    assert cancelled.cancelled_late and cancelled.cancelled_by_staff
    assert Booking.objects.get(pk=bookings[2].pk).state == "liste_attente"
    # The next cancellation does not let the second waiting child jump the queue.
    services.booking_cancel(actor=staff_user, booking=bookings[1], now=late)
    assert Booking.objects.filter(state="liste_attente").count() == 2
    promoted = services.waiting_list_promote(
        actor=staff_user, unit=bookings[2].unit, site=bookings[2].site, day=FRIDAY, now=late
    )
    assert [b.pk for b in promoted] == [bookings[2].pk, bookings[3].pk]
    event = Booking.objects.get(pk=bookings[2].pk).events.get(action="place_obtenue")
    assert event.by_staff and event.past_deadline and event.actor == staff_user


def test_staff_confirm_the_promotion_when_they_cancel_late(full_day, now, staff_user):
    _people, bookings = full_day
    late = datetime.datetime(2026, 12, 10, 8, 0, tzinfo=now.tzinfo)
    services.booking_cancel(actor=staff_user, booking=bookings[0], now=late, confirm_promotion=True)
    assert Booking.objects.get(pk=bookings[2].pk).state == "reservee"
    assert Booking.objects.get(pk=bookings[3].pk).state == "liste_attente"


def test_a_capacity_increase_promotes_in_arrival_order(full_day, canteen, now, staff_user):
    _people, bookings = full_day
    UnitDay.objects.filter(unit=canteen["unit"], day=FRIDAY).update(places=3)
    promoted = services.capacity_changed(
        actor=staff_user, unit=canteen["unit"], site=canteen["site"], days=[FRIDAY], now=now
    )
    assert [b.pk for b in promoted] == [bookings[2].pk]
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=10)
    UnitDay.objects.filter(unit=canteen["unit"], day=FRIDAY).update(places=None)
    promoted = services.capacity_changed(
        actor=staff_user, unit=canteen["unit"], site=canteen["site"], now=now
    )
    assert [b.pk for b in promoted] == [bookings[3].pk]


def test_a_cancelled_day_can_be_booked_again_as_a_new_arrival(full_day, canteen, now):
    people, bookings = full_day
    services.booking_cancel(actor=people[0][0], booking=bookings[0], now=now)
    again = services.booking_book(
        actor=people[0][0], child=bookings[0].child, unit=canteen["unit"], day=FRIDAY, now=now
    )
    assert again.pk == bookings[0].pk and again.state == "liste_attente"
    assert [e.action for e in again.events.order_by("id")] == [
        "reservation",
        "annulation",
        "liste_attente",
    ]


def test_a_granted_place_is_a_message_in_the_familys_inbox_too(
    full_day, now, client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from espace_prive.messaging import selectors as messaging_selectors
    from espace_prive.messaging.models import Thread

    people, bookings = full_day
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=people[0][0], booking=bookings[0], now=now)
        services.booking_cancel(actor=people[0][0], booking=bookings[0], now=now)  # twice
    user, child = people[2]
    family = child.family
    [thread] = Thread.objects.filter(family=family)
    assert thread.subject == f"Place attribuée : Repas le 11/12/2026 ({child.first_name})"
    [message] = thread.messages.all()
    assert message.is_from_service and message.author is None
    assert "était sur liste d'attente pour « Repas »" in message.body
    assert "vendredi 11 décembre 2026" in message.body
    assert f"/espace-famille/reservations/agenda/{child.public_id}/?mois=2026-12" in message.body
    assert messaging_selectors.unread_count_for_family(family, user) == 1
    assert Thread.objects.count() == 1  # nobody else is told: the others were not promoted
    assert len(mail.outbox) == 1  # the e-mail of the granted place, not a second one
    client.force_login(user)
    inbox = client.get(reverse("espace_prive:messaging:inbox")).content.decode()
    assert "Place attribuée : Repas le 11/12/2026" in inbox.replace("&#x27;", "'")
