"""The bookings' data model: what the database itself refuses, and facts about one row."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from espace_prive.bookings.models import (
    AbsenceReason,
    ActivityUnit,
    Booking,
    Commune,
    Enrolment,
    Period,
)
from tests.bookings.factories import make_calendar, make_commune, make_enrolment
from tests.factories import make_child, make_family

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 1, 11)


def _booking(child, calendar, enrolment, **fields):
    fields.setdefault("state", Booking.State.BOOKED)
    return Booking.objects.create(
        child=child,
        enrolment=enrolment,
        unit=calendar["unit"],
        site=calendar["site"],
        day=fields.pop("day", DAY),
        **fields,
    )


def test_the_same_child_unit_and_day_is_one_booking():
    calendar = make_calendar()
    child = make_child()
    enrolment = make_enrolment(child=child, calendar=calendar)
    _booking(child, calendar, enrolment)
    with pytest.raises(IntegrityError), transaction.atomic():
        _booking(child, calendar, enrolment, state=Booking.State.WAITING)
    assert Booking.objects.count() == 1


def test_a_cancelled_booking_says_when():
    calendar = make_calendar()
    child = make_child()
    enrolment = make_enrolment(child=child, calendar=calendar)
    with pytest.raises(IntegrityError), transaction.atomic():
        _booking(child, calendar, enrolment, state=Booking.State.CANCELLED)
    booking = _booking(
        child, calendar, enrolment, state=Booking.State.CANCELLED, cancelled_at=timezone.now()
    )
    assert not booking.is_active


def test_only_staff_cancel_late():
    calendar = make_calendar()
    child = make_child()
    enrolment = make_enrolment(child=child, calendar=calendar)
    with pytest.raises(IntegrityError), transaction.atomic():
        _booking(
            child,
            calendar,
            enrolment,
            state=Booking.State.CANCELLED,
            cancelled_at=timezone.now(),
            cancelled_late=True,
        )


def test_one_pending_or_accepted_enrolment_per_child_service_and_year():
    calendar = make_calendar()
    child = make_child()
    make_enrolment(child=child, calendar=calendar, state=Enrolment.State.PENDING)
    duplicate = Enrolment(
        child=child,
        service=calendar["service"],
        site=calendar["site"],
        school_year=calendar["year"],
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "déjà inscrit" in str(error.value.message_dict["service"])
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # A refused request does not block a new one.
    make_enrolment(child=make_child(), calendar=calendar, state=Enrolment.State.REFUSED)


def test_a_refused_enrolment_needs_a_reason():
    calendar = make_calendar()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_enrolment(
            child=make_child(), calendar=calendar, state=Enrolment.State.REFUSED, reason=""
        )


def test_a_unit_needs_a_weekday_a_period_and_ordered_hours():
    calendar = make_calendar()
    unit = calendar["unit"]
    unit.ends_at = datetime.time(11, 0)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "L'heure de fin doit suivre" in str(error.value.message_dict["ends_at"])
    unit.refresh_from_db()
    for name in ("on_monday", "on_tuesday", "on_thursday", "on_friday"):
        setattr(unit, name, False)
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "au moins un jour" in str(error.value)


def test_a_unit_is_priced_in_its_service_unit():
    calendar = make_calendar()
    unit = calendar["unit"]
    unit.price_unit = ActivityUnit._meta.get_field("price_unit").choices[2][0]  # the hour
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "grille tarifaire" in str(error.value.message_dict["price_unit"])


def test_a_unit_priced_by_the_hour_counts_its_hours():
    unit = ActivityUnit(
        price_unit="heure", starts_at=datetime.time(16, 30), ends_at=datetime.time(18, 15)
    )
    assert unit.quantity == Decimal("1.75")
    assert unit.weekdays == frozenset({0, 1, 3, 4})


def test_a_period_stays_in_its_school_year_and_only_holidays_sell_whole():
    calendar = make_calendar()
    period = Period(
        service=calendar["service"],
        school_year=calendar["year"],
        kind=Period.Kind.SCHOOL_WEEKS,
        name="Trop longue",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 9, 30),
        sold_as_session=True,
    )
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "vacances" in str(error.value.message_dict["sold_as_session"])
    assert "2026-2027" in str(error.value.message_dict["ends_on"])


def test_residency_is_per_commune():
    belval = make_commune(
        name="Belval", resident_postcodes="38500", resident_places="Le Hameau-d'en-Haut"
    )
    other = make_commune(name="Saint-Ours")
    at_home = make_family(city="BELVAL", postcode="38500")
    hamlet = make_family(city="le hameau d'en haut", postcode="38500")
    elsewhere = make_family(city="Belval", postcode="75001")
    assert belval.is_resident(at_home) and belval.is_resident(hamlet)
    assert not belval.is_resident(elsewhere)
    assert not other.is_resident(at_home)
    assert Commune.Zone.A in Commune.Zone.values


def test_absence_reasons_ship_with_the_town_list_and_say_what_is_billed():
    illness = AbsenceReason.objects.get(code="maladie")
    day = datetime.date(2027, 1, 11)
    end_of_day = timezone.make_aware(datetime.datetime(2027, 1, 12))
    assert illness.billable_for(day=day, certificate_sent_at=None)
    assert not illness.billable_for(
        day=day, certificate_sent_at=end_of_day + datetime.timedelta(hours=47)
    )
    assert illness.billable_for(
        day=day, certificate_sent_at=end_of_day + datetime.timedelta(hours=49)
    )
    assert AbsenceReason.objects.get(code="autre").requires_details
    assert AbsenceReason.objects.get(code="convenance-personnelle").billable_for(
        day=day, certificate_sent_at=end_of_day
    )
