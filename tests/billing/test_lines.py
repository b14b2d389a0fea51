"""Billable lines from bookings: each rule at its edges."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from espace_prive.billing.models import BilledService, LineReason
from espace_prive.billing.models.invoices import AnomalyKind
from espace_prive.billing.services import billable_lines, line_amount
from espace_prive.bookings.models import BookingState, Enrolment
from espace_prive.catalogue.models import Service, TariffBand
from tests.billing.factories import (
    DECEMBER,
    book,
    declare_absence,
    make_billed_family,
    make_billing_setup,
    make_reason,
)

pytestmark = pytest.mark.django_db

THU = datetime.date(2026, 12, 3)
FRI = datetime.date(2026, 12, 4)


@pytest.fixture
def setup():
    return make_billing_setup()


def lines_of(setup, **kwargs):
    return billable_lines(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], **kwargs
    )


def test_booked_day_is_billed_at_the_band_of_the_family_qf(setup):
    family = make_billed_family(calendar=setup, quotient="700")
    booking = book(family.children.get(), setup, THU)
    (line,), anomalies = lines_of(setup)
    assert anomalies == []
    assert line.reason == LineReason.BOOKED and line.booking == booking
    assert (line.quantity, line.unit_price, line.amount) == (1, Decimal("2.50"), Decimal("2.50"))
    assert line.pricing_label == "2026-2027 : QF 500 à 999 (QF 700)"


@pytest.mark.parametrize(
    ("quotient", "price"), [("499.99", "1.00"), ("500", "2.50"), ("999", "2.50"), ("1000", "4.00")]
)
def test_band_edges(setup, quotient, price):
    family = make_billed_family(calendar=setup, quotient=quotient)
    book(family.children.get(), setup, THU)
    (line,), _ = lines_of(setup)
    assert line.unit_price == Decimal(price)


def test_qf_valid_on_the_day_of_the_service_not_on_the_billing_day(setup):
    family = make_billed_family(calendar=setup, quotient="700", qf_valid_to=THU)
    child = family.children.get()
    book(child, setup, THU)
    book(child, setup, FRI)
    lines, anomalies = lines_of(setup)
    assert [(line.day, line.unit_price) for line in lines] == [
        (THU, Decimal("2.50")),  # last day of validity: the band
        (FRI, Decimal("4.00")),  # the day after: no QF, the highest price
    ]
    assert lines[1].pricing_label == "2026-2027 : tarif sans quotient familial"
    assert [(a.kind, a.blocking) for a in anomalies] == [(AnomalyKind.NO_QF, False)]


def test_non_resident_pays_the_non_resident_price_whatever_the_qf(setup):
    family = make_billed_family(calendar=setup, quotient=None, resident=False)
    book(family.children.get(), setup, THU)
    (line,), anomalies = lines_of(setup)
    assert line.unit_price == Decimal("6.00") and anomalies == []
    assert line.pricing_label == "2026-2027 : tarif hors commune"


def test_absences_billed_only_without_a_valid_reason(setup):
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    excused, unexcused = make_reason(billable=False), make_reason(billable=True)
    illness = make_reason(billable=True, waived_with_certificate=True, delay=48)
    days = [THU, FRI, datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)]
    bookings = [book(child, setup, day) for day in days]
    declare_absence(bookings[0], excused)
    declare_absence(bookings[1], unexcused)
    end_of_day = timezone.make_aware(datetime.datetime(2026, 12, 8))
    # 7/12: certificate exactly 48 h after the end of the day, in time; 8/12: 48 h and
    # one minute after it, too late.
    declare_absence(
        bookings[2], illness, certificate_sent_at=end_of_day + datetime.timedelta(hours=48)
    )
    declare_absence(
        bookings[3],
        illness,
        certificate_sent_at=end_of_day + datetime.timedelta(hours=72, minutes=1),
    )
    lines, _ = lines_of(setup)
    assert [(line.day, line.reason) for line in lines] == [
        (FRI, LineReason.UNJUSTIFIED_ABSENCE),
        (days[3], LineReason.UNJUSTIFIED_ABSENCE),
    ]


def test_late_cancellation_billed_at_the_service_rate_rounded_half_up(setup):
    TariffBand.objects.filter(grid__service=setup["service"], qf_min=500).update(
        price=Decimal("1.25")
    )
    BilledService.objects.filter(service=setup["service"]).update(late_cancel_rate=50)
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    book(child, setup, THU, state=BookingState.CANCELLED, cancelled_late=True)
    book(child, setup, FRI, state=BookingState.CANCELLED)  # cancelled in time
    book(child, setup, datetime.date(2026, 12, 7), state=BookingState.WAITING)
    (line,), _ = lines_of(setup)
    assert line.reason == LineReason.LATE_CANCELLATION
    assert (line.rate, line.amount) == (Decimal("50"), Decimal("0.63"))  # 0.625 → 0.63


def test_late_cancellation_at_zero_percent_is_not_billed(setup):
    BilledService.objects.filter(service=setup["service"]).update(late_cancel_rate=0)
    family = make_billed_family(calendar=setup)
    book(family.children.get(), setup, THU, state=BookingState.CANCELLED, cancelled_late=True)
    assert lines_of(setup) == ([], [])


def test_child_not_enrolled_is_a_blocking_anomaly_without_line(setup):
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    book(child, setup, THU)
    book(child, setup, FRI)
    Enrolment.objects.filter(child=child).update(state=Enrolment.State.ENDED)
    lines, anomalies = lines_of(setup)
    assert lines == []
    assert [(a.kind, a.blocking) for a in anomalies] == [(AnomalyKind.NOT_ENROLLED, True)]


def test_day_without_grid_is_a_blocking_anomaly(setup):
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    book(child, setup, THU)
    book(child, setup, FRI)
    setup["service"].tariff_grids.update(valid_until=THU)
    lines, anomalies = lines_of(setup)
    assert [line.day for line in lines] == [THU]
    assert [(a.kind, a.day) for a in anomalies] == [(AnomalyKind.NO_GRID, FRI)]


def test_only_the_month_and_the_regie_services(setup):
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    book(child, setup, datetime.date(2026, 11, 30))
    book(child, setup, datetime.date(2026, 12, 31))
    book(child, setup, datetime.date(2027, 1, 4))
    (line,), _ = lines_of(setup)
    assert line.day == datetime.date(2026, 12, 31)
    other = make_billing_setup()
    assert billable_lines(regie=other["regie"], month=DECEMBER, services=[setup["service"]]) == (
        [],
        [],
    )


def test_hourly_unit_bills_its_hours(setup):
    unit = setup["unit"]
    unit.price_unit = Service.Unit.HOUR
    unit.starts_at, unit.ends_at = datetime.time(16, 30), datetime.time(18, 0)
    unit.save()
    family = make_billed_family(calendar=setup)
    book(family.children.get(), setup, THU)
    (line,), _ = lines_of(setup)
    assert (line.quantity, line.amount) == (Decimal("1.50"), Decimal("3.75"))


def test_line_amount_rounds_once_half_up():
    assert line_amount(Decimal("3"), Decimal("0.335")) == Decimal("1.01")
    assert line_amount(Decimal("1"), Decimal("0.125"), Decimal("100")) == Decimal("0.13")
    assert line_amount(Decimal("1.5"), Decimal("1.11"), Decimal("120")) == Decimal("2.00")
