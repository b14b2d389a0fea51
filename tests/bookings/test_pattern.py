"""A weekly pattern over a date range: the preview (what will be booked, what cannot and
why, the total at the QF valid on each day) and the confirmation (bounded queries)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from espace_prive.bookings import services
from espace_prive.bookings.models import ActivityUnit, Booking, Period, UnitCapacity
from tests.bookings.factories import make_enrolment

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
BEFORE_RENTREE = datetime.datetime(2026, 8, 20, 9, 0, tzinfo=PARIS)
YEAR = {"start": datetime.date(2026, 9, 1), "end": datetime.date(2027, 7, 2)}
SCHOOL_DAYS = [0, 1, 3, 4]


@pytest.fixture
def resident(family_a, canteen):
    family, user = family_a
    family.city = canteen["commune"].name
    family.quotient_familial = Decimal("700")
    family.qf_valid_from = datetime.date(2026, 1, 1)
    family.qf_valid_to = datetime.date(2027, 12, 31)
    family.save()
    return family, user


def _preview(user, child, canteen, **kwargs):
    kwargs.setdefault("weekdays", [0, 3])
    kwargs.setdefault("start", datetime.date(2027, 1, 4))
    kwargs.setdefault("end", datetime.date(2027, 1, 31))
    return services.booking_pattern_preview(
        actor=user, child=child, units=[canteen["unit"]], now=BEFORE_RENTREE, **kwargs
    )


def test_the_preview_shows_each_day_and_the_total(resident, child_a, canteen):
    preview = _preview(resident[1], child_a, canteen)
    days = [line.day for line in preview.to_book]
    assert days == [datetime.date(2027, 1, d) for d in (4, 7, 11, 14, 18, 21, 25, 28)]
    assert all(line.price == Decimal("2.50") for line in preview.to_book)
    assert preview.total == Decimal("20.00")
    assert preview.explanations == []
    assert not Booking.objects.exists()


def test_the_preview_says_why_a_day_cannot_be_booked(resident, child_a, canteen, staff_user):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=1)
    other = resident[0].children.create(
        first_name="Autre", last_name="Test", birth_date=datetime.date(2017, 3, 3)
    )
    make_enrolment(child=other, calendar=canteen)
    services.booking_book(
        actor=staff_user,
        child=other,
        unit=canteen["unit"],
        day=datetime.date(2027, 5, 3),
        now=BEFORE_RENTREE,
    )
    preview = _preview(
        resident[1],
        child_a,
        canteen,
        start=datetime.date(2027, 4, 26),
        end=datetime.date(2027, 5, 20),
    )
    reasons = {line.day: line.reason for line in preview.refused}
    assert reasons[datetime.date(2027, 5, 6)] == "Jour férié (Ascension)."
    assert reasons[datetime.date(2027, 5, 17)] == "Jour férié (Lundi de Pentecôte)."
    assert "Vacances de Printemps" not in " ".join(reasons.values())  # zone A: ends 25 April
    assert [line.day for line in preview.to_wait] == [datetime.date(2027, 5, 3)]
    assert "liste d'attente" in preview.to_wait[0].reason
    assert preview.total == Decimal("2.50") * len(preview.to_book)


def test_past_the_deadline_days_are_listed_as_impossible(resident, child_a, canteen, now):
    preview = services.booking_pattern_preview(
        actor=resident[1],
        child=child_a,
        units=[canteen["unit"]],
        weekdays=[0, 1, 3, 4],
        start=datetime.date(2026, 12, 3),
        end=datetime.date(2026, 12, 11),
        now=now,
    )
    refused = {line.day: line.reason for line in preview.refused}
    assert refused[datetime.date(2026, 12, 7)].startswith("Délai de réservation passé")
    assert datetime.date(2026, 12, 8) in [line.day for line in preview.to_book]


def test_a_family_without_a_valid_qf_sees_the_tariff_it_would_pay_and_why(
    resident, child_a, canteen
):
    family = resident[0]
    family.qf_valid_to = datetime.date(2026, 12, 31)
    family.save()
    preview = _preview(
        resident[1],
        child_a,
        canteen,
        start=datetime.date(2026, 12, 14),
        end=datetime.date(2027, 1, 8),
    )
    prices = {line.day: line.price for line in preview.to_book}
    assert prices[datetime.date(2026, 12, 17)] == Decimal("2.50")
    assert prices[datetime.date(2027, 1, 4)] == Decimal("4.00")  # highest band, no QF
    assert len(preview.explanations) == 1
    assert "n'est valable que jusqu'au 31/12/2026" in preview.explanations[0]
    assert "attestation CAF" in preview.explanations[0]


def test_a_non_resident_family_pays_the_non_resident_price(resident, child_a, canteen):
    family = resident[0]
    family.city = "Ailleurs"
    family.save()
    preview = _preview(resident[1], child_a, canteen)
    assert {line.price for line in preview.to_book} == {Decimal("6.00")}
    assert "hors commune" in preview.explanations[0]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        (
            {"start": datetime.date(2026, 9, 1), "end": datetime.date(2036, 8, 31)},
            "end",
            "au plus une année scolaire",
        ),
        ({"start": "2027-01-31", "end": "2027-01-04"}, "end", "précède"),
        ({"start": "31/01/2027"}, "start", "Date invalide"),
        ({"weekdays": []}, "weekdays", "au moins un jour"),
        ({"weekdays": [9]}, "weekdays", "au moins un jour"),
        ({"weekdays": ["lundi"]}, "weekdays", "invalides"),
    ],
)
def test_a_bad_pattern_is_refused_in_french(resident, child_a, canteen, kwargs, field, message):
    for function in (services.booking_pattern_preview, services.booking_pattern_confirm):
        arguments = {"weekdays": [0], "start": "2027-01-04", "end": "2027-01-31", **kwargs}
        with pytest.raises(ValidationError) as error:
            function(
                actor=resident[1],
                child=child_a,
                units=[canteen["unit"]],
                now=BEFORE_RENTREE,
                **arguments,
            )
        assert message in " ".join(error.value.message_dict[field])
    assert not Booking.objects.exists()


def test_a_pattern_beyond_the_school_year_is_refused(resident, child_a, canteen):
    with pytest.raises(ValidationError, match="en dehors de l'année scolaire"):
        services.booking_pattern_confirm(
            actor=resident[1],
            child=child_a,
            units=[canteen["unit"]],
            weekdays=[0],
            start="2027-06-01",
            end="2027-07-31",
            now=BEFORE_RENTREE,
        )
    assert not Booking.objects.exists()


def test_a_school_year_pattern_is_booked_in_at_most_20_queries(resident, child_a, canteen):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=200)
    with CaptureQueriesContext(connection) as queries:
        result = services.booking_pattern_confirm(
            actor=resident[1],
            child=child_a,
            units=[canteen["unit"]],
            weekdays=SCHOOL_DAYS,
            now=BEFORE_RENTREE,
            **YEAR,
        )
    assert 130 <= len(result.booked) <= 150, len(result.booked)  # 139 school days
    assert len(queries) <= 20, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    assert Booking.objects.filter(state="reservee").count() == len(result.booked)
    assert result.total == Decimal("2.50") * len(result.booked)
    again = services.booking_pattern_confirm(
        actor=resident[1],
        child=child_a,
        units=[canteen["unit"]],
        weekdays=SCHOOL_DAYS,
        now=BEFORE_RENTREE,
        **YEAR,
    )
    assert again.booked == [] and len(again.unchanged) == len(result.booked)
    assert Booking.objects.count() == len(result.booked)


def test_a_whole_holiday_session_is_booked_at_once(family_a, staff_user):
    from tests.bookings.factories import make_calendar

    calendar = make_calendar(
        name="Journée",
        kind=ActivityUnit.Kind.DAY,
        starts_at=datetime.time(8),
        ends_at=datetime.time(18),
        in_school_weeks=False,
        in_holidays=True,
        places=1,
        on_wednesday=True,
    )
    session = Period.objects.create(
        service=calendar["service"],
        school_year=calendar["year"],
        kind=Period.Kind.HOLIDAYS,
        name="Stage d'hiver",
        starts_on=datetime.date(2027, 2, 15),
        ends_on=datetime.date(2027, 2, 19),
        sold_as_session=True,
    )
    child = family_a.family.children.get()
    make_enrolment(child=child, calendar=calendar)
    lines = services.booking_session_book(
        actor=family_a.user,
        child=child,
        unit=calendar["unit"],
        period=session,
        now=BEFORE_RENTREE,
    )
    assert [line.outcome for line in lines] == ["reserver"] * 5
    other = make_enrolment(
        child=family_a.family.children.create(
            first_name="Sœur", last_name="Test", birth_date=datetime.date(2016, 1, 1)
        ),
        calendar=calendar,
    ).child
    with pytest.raises(ValidationError, match="se réserve en entier"):
        services.booking_book(
            actor=family_a.user,
            child=other,
            unit=calendar["unit"],
            day=datetime.date(2027, 2, 16),
            now=BEFORE_RENTREE,
        )
    lines = services.booking_session_book(
        actor=staff_user, child=other, unit=calendar["unit"], period=session, now=BEFORE_RENTREE
    )
    assert [line.outcome for line in lines] == ["attente"] * 5
