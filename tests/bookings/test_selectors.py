"""Selectors: a family reaches only its own rows; the agenda's states and its constant
number of queries; the staff's day list, occupancy and history."""

import datetime
import uuid

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from espace_prive.bookings import reference_cache, selectors, services
from espace_prive.bookings.models import Closure, UnitCapacity
from espace_prive.bookings.selectors import AgendaState
from tests.bookings.conftest import NOW

pytestmark = pytest.mark.django_db

RANGE = (datetime.date(2026, 12, 1), datetime.date(2027, 2, 12))


def _book(actor, child, canteen, *days):
    return [
        services.booking_book(actor=actor, child=child, unit=canteen["unit"], day=day, now=NOW)
        for day in days
    ]


def test_another_familys_rows_are_404(family_a, family_b, child_a, canteen, staff_user):
    (booking,) = _book(staff_user, child_a, canteen, datetime.date(2026, 12, 8))
    enrolment = child_a.enrolments.get()
    for selector, public_id in [
        (selectors.get_booking_for_family, booking.public_id),
        (selectors.get_enrolment_for_family, enrolment.public_id),
        (selectors.get_absence_for_family, uuid.uuid4()),
    ]:
        with pytest.raises(Http404):
            selector(family_b.family, public_id)
        with pytest.raises(Http404):
            selector(family_a.family, "pas-un-uuid")
    assert selectors.get_booking_for_family(family_a.family, booking.public_id) == booking
    assert not selectors.bookings_for_family(family_b.family).exists()


def test_the_agenda_marks_each_day(family_a, child_a, canteen, staff_user):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=1)
    _book(staff_user, child_a, canteen, datetime.date(2026, 12, 8))
    other = family_a.family.children.create(
        first_name="Zoé", last_name="Test", birth_date=datetime.date(2016, 2, 2)
    )
    from tests.bookings.factories import make_enrolment

    make_enrolment(child=other, calendar=canteen)
    _book(staff_user, other, canteen, datetime.date(2026, 12, 10))
    entries = {
        e.day: e
        for e in selectors.agenda_for_child(
            child_a, datetime.date(2026, 12, 7), datetime.date(2026, 12, 21), now=NOW
        )
    }
    assert entries[datetime.date(2026, 12, 7)].state == AgendaState.PAST_DEADLINE
    assert entries[datetime.date(2026, 12, 8)].state == AgendaState.BOOKED
    assert entries[datetime.date(2026, 12, 8)].can_cancel
    assert entries[datetime.date(2026, 12, 9)].state == AgendaState.CLOSED  # Wednesday
    assert entries[datetime.date(2026, 12, 10)].state == AgendaState.FULL
    assert entries[datetime.date(2026, 12, 10)].can_book
    assert entries[datetime.date(2026, 12, 11)].state == AgendaState.AVAILABLE
    assert entries[datetime.date(2026, 12, 21)].reason == "Vacances de Noël (zone A)."
    assert entries[datetime.date(2026, 12, 11)].price is not None


def _agenda_queries(child):
    with CaptureQueriesContext(connection) as queries:
        selectors.agenda_for_child(child, *RANGE, now=NOW)
    return len(queries)


def test_the_agenda_costs_the_same_for_1_or_30_days_booked(family_a, child_a, canteen, staff_user):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=50)
    _book(staff_user, child_a, canteen, datetime.date(2026, 12, 8))
    cold = _agenda_queries(child_a)  # reads the reference data into the cache
    one = _agenda_queries(child_a)
    services.booking_pattern_confirm(
        actor=staff_user,
        child=child_a,
        units=[canteen["unit"]],
        weekdays=[0, 1, 3, 4],
        start=RANGE[0],
        end=RANGE[1],
        now=NOW,
    )
    assert child_a.bookings.count() >= 30
    assert _agenda_queries(child_a) == one
    assert one <= cold <= 14


def test_the_agenda_reads_the_reference_data_again_after_a_change(
    monkeypatch, child_a, canteen, staff_user
):
    """The units, periods, closures… of the agenda come from the cache (with or without
    Redis in this test): a closure or a capacity saved by staff shows at once."""
    monkeypatch.setattr(reference_cache, "enabled", lambda: True)
    day = datetime.date(2026, 12, 11)

    def entry():
        return next(e for e in selectors.agenda_for_child(child_a, *RANGE, now=NOW) if e.day == day)

    with CaptureQueriesContext(connection) as cold:
        assert entry().state == AgendaState.AVAILABLE
    with CaptureQueriesContext(connection) as warm:
        assert entry().state == AgendaState.AVAILABLE
    assert len(warm) < len(cold)
    closure = Closure.objects.create(
        commune=canteen["year"].commune, first_day=day, last_day=day, reason="Travaux"
    )
    closed = entry()
    assert (closed.state, closed.reason) == (AgendaState.CLOSED, "Fermeture : Travaux.")
    closure.delete()
    assert entry().state == AgendaState.AVAILABLE
    capacity = UnitCapacity.objects.get(unit=canteen["unit"], site=canteen["site"])
    capacity.places = 0
    capacity.save()
    assert entry().state == AgendaState.FULL


def test_day_list_occupancy_and_history(family_a, child_a, canteen, staff_user):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=1)
    day = datetime.date(2026, 12, 8)
    (booking,) = _book(family_a.user, child_a, canteen, day)
    from tests.bookings.factories import make_enrolment
    from tests.factories import make_child

    other = make_child()
    make_enrolment(child=other, calendar=canteen)
    _book(staff_user, other, canteen, day)
    booked, waiting = selectors.day_list(canteen["unit"], canteen["site"], day)
    assert [b.child for b in booked] == [child_a] and [b.child for b in waiting] == [other]
    (row,) = selectors.occupancy(canteen["service"], canteen["site"], 2026, 12)
    assert (row.day, row.booked, row.waiting, row.places, row.is_full) == (day, 1, 1, 1, True)
    services.booking_cancel(actor=staff_user, booking=booking, now=NOW)
    history = list(selectors.booking_history(child_a))
    assert [e.action for e in history] == ["annulation", "reservation"]
    assert history[0].by_staff and not history[1].by_staff


def test_enrolment_options_and_missing_documents(family_a, canteen):
    from espace_prive.documents.models import DocumentType, RequiredDocument

    options = selectors.enrolment_options(on=datetime.date(2026, 12, 3))
    assert (canteen["year"], canteen["service"], [canteen["site"]]) in options
    child = family_a.family.children.get()
    enrolment = services.enrolment_request(
        actor=family_a.user,
        child=child,
        service=canteen["service"],
        site=canteen["site"],
        school_year=canteen["year"],
        now=NOW,
    )
    insurance = DocumentType.objects.create(
        code="assurance-test", name="Attestation d'assurance (test)"
    )
    RequiredDocument.objects.create(
        service=canteen["service"],
        document_type=insurance,
        school_year_start=datetime.date(2026, 9, 1),
    )
    missing = selectors.missing_documents_for_enrolment(enrolment)
    assert [m.document_type for m in missing] == [insurance]
