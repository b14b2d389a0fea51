"""The register's rules: taps, a child added on the spot, departures with who took the
child, closing and reopening; every refusal is French and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from espace_prive.attendance import selectors, services
from espace_prive.attendance.models import Mark, MarkState, Register, RegisterEvent
from espace_prive.bookings.models import BookingState
from tests.api.bookings_helpers import enrol
from tests.factories import make_child, make_pickup_person, make_site, make_staff_with_perms

from .factories import (
    at,
    book,
    evening_clock,
    every_day_calendar,
    family_with_guardian,
    make_animator,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _evening(monkeypatch):
    evening_clock(monkeypatch)


@pytest.fixture
def calendar():
    return every_day_calendar()


@pytest.fixture
def agent(calendar):
    return make_animator(calendar["site"])


def _where(calendar):
    return {"site": calendar["site"], "unit": calendar["unit"], "day": TODAY()}


def _message(error):
    return " ".join(error.value.messages)


def test_tap_present_then_absent_is_one_mark(calendar, agent):
    child = make_child()
    booking = book(child, calendar)
    mark = services.attendance_tap(
        actor=agent, child=child, state=MarkState.PRESENT, at="08:05", **_where(calendar)
    )
    assert mark.booking == booking and not mark.unbooked
    assert timezone.localtime(mark.arrived_at).time() == datetime.time(8, 5)
    services.attendance_tap(actor=agent, child=child, state=MarkState.ABSENT, **_where(calendar))
    mark = Mark.objects.get()
    assert mark.state == MarkState.ABSENT and mark.arrived_at is None
    assert Register.objects.count() == 1


def test_unbooked_enrolled_child_is_added_as_presence_without_booking(calendar, agent):
    child = make_child()
    enrol(child, calendar)
    mark = services.attendance_add_unbooked(actor=agent, child=child, **_where(calendar))
    assert mark.unbooked and mark.booking is None and mark.state == MarkState.PRESENT


def test_waiting_list_child_comes_as_presence_without_booking(calendar, agent):
    child = make_child()
    book(child, calendar, state=BookingState.WAITING)
    mark = services.attendance_tap(
        actor=agent, child=child, state=MarkState.PRESENT, **_where(calendar)
    )
    assert mark.unbooked


def test_child_neither_expected_nor_enrolled_is_refused(calendar, agent):
    child = make_child(first_name="Zoé", last_name="Inconnue")
    with pytest.raises(ValidationError) as error:
        services.attendance_tap(
            actor=agent, child=child, state=MarkState.PRESENT, **_where(calendar)
        )
    assert "Zoé Inconnue n'est ni attendu ni inscrit" in _message(error)
    assert not Mark.objects.exists()


def test_absent_for_a_child_not_expected_is_refused(calendar, agent):
    child = make_child()
    enrol(child, calendar)
    with pytest.raises(ValidationError) as error:
        services.attendance_tap(
            actor=agent, child=child, state=MarkState.ABSENT, **_where(calendar)
        )
    assert "n'est pas attendu" in _message(error)


def test_departure_with_a_listed_person_and_with_a_guardian(calendar, agent):
    family, guardian = family_with_guardian()
    child = make_child(family=family)
    book(child, calendar)
    person = make_pickup_person(child=child, first_name="Mamie", last_name="Roux")
    services.attendance_tap(
        actor=agent, child=child, state=MarkState.PRESENT, at="08:00", **_where(calendar)
    )
    mark = services.attendance_depart(
        actor=agent, child=child, at="09:30", pickup=("personne", person), **_where(calendar)
    )
    assert mark.state == MarkState.GONE and mark.pickup_person == person
    assert mark.pickup_name == "Mamie Roux" and not mark.pickup_unlisted
    mark = services.attendance_depart(
        actor=agent, child=child, at="09:40", pickup=("responsable", guardian), **_where(calendar)
    )
    assert mark.pickup_guardian == guardian and mark.pickup_person is None


def test_departure_before_arrival_is_refused(calendar, agent):
    child = make_child()
    book(child, calendar)
    services.attendance_tap(
        actor=agent, child=child, state=MarkState.PRESENT, at="08:30", **_where(calendar)
    )
    with pytest.raises(ValidationError) as error:
        services.attendance_depart(
            actor=agent, child=child, at="08:00", left_alone=True, **_where(calendar)
        )
    assert error.value.message_dict["at"] == ["L'heure de départ précède l'arrivée (08:30)."]
    assert Mark.objects.get().state == MarkState.PRESENT


def test_person_not_on_the_list_needs_a_reason_and_is_flagged(calendar, agent):
    child = make_child()
    book(child, calendar)
    services.attendance_tap(
        actor=agent, child=child, state=MarkState.PRESENT, at="08:00", **_where(calendar)
    )
    with pytest.raises(ValidationError) as error:
        services.attendance_depart(
            actor=agent, child=child, at="09:00", pickup_name="Jean Voisin", **_where(calendar)
        )
    assert "n'est pas sur la liste des personnes autorisées" in _message(error)
    assert Mark.objects.get().state == MarkState.PRESENT
    mark = services.attendance_depart(
        actor=agent,
        child=child,
        at="09:00",
        pickup_name="Jean Voisin",
        pickup_reason="Appel de la mère, pièce d'identité vérifiée",
        **_where(calendar),
    )
    assert mark.pickup_unlisted and mark.pickup_name == "Jean Voisin"


def test_another_childs_pickup_person_is_refused(calendar, agent):
    child, other = make_child(), make_child()
    book(child, calendar)
    stranger = make_pickup_person(child=other)
    services.attendance_tap(
        actor=agent, child=child, state=MarkState.PRESENT, at="08:00", **_where(calendar)
    )
    with pytest.raises(ValidationError) as error:
        services.attendance_depart(
            actor=agent, child=child, at="09:00", pickup=("personne", stranger), **_where(calendar)
        )
    assert "n'est pas sur la liste de cet enfant" in _message(error)


def test_leaving_alone_needs_the_familys_authorisation(calendar, agent):
    child = make_child(may_leave_alone=False)
    book(child, calendar)
    services.attendance_tap(
        actor=agent, child=child, state=MarkState.PRESENT, at="08:00", **_where(calendar)
    )
    with pytest.raises(ValidationError) as error:
        services.attendance_depart(
            actor=agent, child=child, at="09:00", left_alone=True, **_where(calendar)
        )
    assert "n'est pas autorisé à partir seul" in _message(error)
    child.may_leave_alone = True
    child.save()
    mark = services.attendance_depart(
        actor=agent, child=child, at="09:00", left_alone=True, **_where(calendar)
    )
    assert mark.left_alone and mark.pickup_name == ""


def test_closed_register_refuses_every_tap_until_reopened(calendar, agent):
    child = make_child()
    book(child, calendar)
    services.register_close(actor=agent, **_where(calendar))
    with pytest.raises(ValidationError) as error:
        services.attendance_tap(
            actor=agent, child=child, state=MarkState.PRESENT, **_where(calendar)
        )
    assert "Le registre a été clos" in _message(error) and "rien n'a été modifié" in _message(error)
    assert not Mark.objects.exists()
    with pytest.raises(ValidationError):
        services.register_close(actor=agent, **_where(calendar))
    register = Register.objects.get()
    with pytest.raises(PermissionDenied):
        services.register_reopen(actor=agent, register=register, reason="Oubli")
    manager = make_staff_with_perms("attendance.reopen_register", "attendance.all_sites")
    with pytest.raises(ValidationError) as error:
        services.register_reopen(actor=manager, register=register, reason=" ")
    assert error.value.message_dict["reason"] == ["Indiquez pourquoi le registre est rouvert."]
    services.register_reopen(actor=manager, register=register, reason="Enfant oublié")
    assert [e.action for e in RegisterEvent.objects.order_by("at", "id")] == [
        "cloture",
        "reouverture",
    ]
    assert RegisterEvent.objects.get(action="reouverture").reason == "Enfant oublié"
    services.attendance_tap(actor=agent, child=child, state=MarkState.PRESENT, **_where(calendar))


def test_agent_of_another_site_may_not_tap(calendar):
    child = make_child()
    book(child, calendar)
    outsider = make_animator(make_site())
    with pytest.raises(PermissionDenied):
        services.attendance_tap(
            actor=outsider, child=child, state=MarkState.PRESENT, **_where(calendar)
        )
    assert not Register.objects.exists()
    assert list(selectors.sites_for_staff(outsider)) != [calendar["site"]]


def test_future_day_and_bad_time_are_refused(calendar, agent):
    child = make_child()
    book(child, calendar)
    where = {**_where(calendar), "day": TODAY() + datetime.timedelta(days=1)}
    with pytest.raises(ValidationError) as error:
        services.attendance_tap(actor=agent, child=child, state=MarkState.PRESENT, **where)
    assert "jour à venir" in _message(error)
    with pytest.raises(ValidationError) as error:
        services.attendance_tap(
            actor=agent, child=child, state=MarkState.PRESENT, at="25:99", **_where(calendar)
        )
    assert "HH:MM" in _message(error)
    assert not Mark.objects.exists()


def test_marks_for_month_lists_what_billing_reads(calendar, agent):
    child = make_child()
    book(child, calendar)
    services.attendance_tap(
        actor=agent, child=child, state=MarkState.PRESENT, at="08:00", **_where(calendar)
    )
    today = TODAY()
    marks = list(selectors.marks_for_month(year=today.year, month=today.month))
    assert [(m.child, m.state) for m in marks] == [(child, MarkState.PRESENT)]
    assert at(8) == marks[0].arrived_at


def test_a_tap_locks_the_register_row(calendar, agent):
    """A tap and a closing never cross: each change reads the register FOR UPDATE."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    child = make_child()
    book(child, calendar)
    with CaptureQueriesContext(connection) as queries:
        services.attendance_tap(
            actor=agent, child=child, state=MarkState.PRESENT, **_where(calendar)
        )
    locks = [q["sql"] for q in queries if "FOR UPDATE" in q["sql"]]
    assert locks and all('"attendance_register"' in sql for sql in locks)


def test_a_register_taken_on_a_day_the_unit_does_not_open_stays_in_sight(calendar, agent):
    """A unit closed on today's weekday is not offered, until a register of today is
    taken all the same: then the index and the API list it (the demo's, on a Sunday)."""
    from espace_prive.bookings.models import WEEKDAY_FIELDS

    unit, site = calendar["unit"], calendar["site"]
    setattr(unit, WEEKDAY_FIELDS[TODAY().weekday()], False)
    unit.save()
    assert list(selectors.units_for_site(site, TODAY())) == []
    child = make_child()
    book(child, calendar)
    services.attendance_tap(actor=agent, child=child, state=MarkState.PRESENT, **_where(calendar))
    assert list(selectors.units_for_site(site, TODAY())) == [unit]
    assert list(selectors.units_for_site(site, TODAY() - datetime.timedelta(days=7))) == []
