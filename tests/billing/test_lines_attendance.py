"""Billable lines from the attendance where a register was taken: a closed register
decides (présent, absences, « présence sans réservation » at the service's rate), a
register left open for a past day blocks the family's bill, a day without a register is
billed from its booking as before; a draft → issue with such lines to the cent."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from espace_prive.attendance import services as attendance
from espace_prive.attendance.models import MarkState
from espace_prive.billing import services
from espace_prive.billing.models import BilledService, Invoice, InvoiceLine, LineReason
from espace_prive.billing.models.invoices import AnomalyKind
from espace_prive.billing.pdf import invoice_pdf_ensure
from espace_prive.bookings.models import BookingState
from tests.attendance.factories import at, make_animator
from tests.billing.documents_helpers import TODAY, login_for, pdf_text
from tests.billing.factories import (
    DECEMBER,
    book,
    declare_absence,
    make_billed_family,
    make_billing_setup,
    make_reason,
)
from tests.queries import count_call
from tests.reading import text

pytestmark = pytest.mark.django_db

TUE = datetime.date(2026, 12, 1)
THU = datetime.date(2026, 12, 3)
FRI = datetime.date(2026, 12, 4)
MON = datetime.date(2026, 12, 7)


@pytest.fixture
def setup():
    setup = make_billing_setup()
    setup["agent"] = make_animator(setup["site"])
    return setup


def rate(setup, unbooked=None):
    billed = BilledService.objects.get(service=setup["service"])
    billed.unbooked_presence_rate = Decimal(unbooked)
    billed.save()


def where(setup, day):
    return {"actor": setup["agent"], "site": setup["site"], "unit": setup["unit"], "day": day}


def tap(setup, child, day, state=MarkState.PRESENT):
    return attendance.attendance_tap(
        child=child, state=state, now=at(12, day=day), **where(setup, day)
    )


def came_unbooked(setup, child, day):
    return attendance.attendance_add_unbooked(child=child, now=at(12, day=day), **where(setup, day))


def close(setup, day):
    return attendance.register_close(now=at(18, day=day), **where(setup, day))


def lines_of(setup, **kwargs):
    return services.billable_lines(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], **kwargs
    )


def reasons(lines):
    return [(line.day, line.reason, line.amount) for line in lines]


def test_present_in_a_closed_register_is_billed_present_at_full_price(setup):
    child = make_billed_family(calendar=setup).children.get()
    booking = book(child, setup, THU)
    mark = tap(setup, child, THU)
    close(setup, THU)
    (line,), anomalies = lines_of(setup)
    assert anomalies == []
    assert (line.reason, line.booking, line.mark) == (LineReason.PRESENT, booking, mark)
    assert (line.unit_price, line.rate, line.amount) == (Decimal("2.50"), 100, Decimal("2.50"))
    assert line.pricing_label == "2026-2027 : QF 500 à 999 (QF 700)"


def test_absences_in_a_closed_register(setup):
    """Marked absent: a declared absence that is not billable → no line, a billable one or
    none → « absence non justifiée »; left unmarked at closing → the same as absent; a
    child who came despite a declared absence → « présent »."""
    excused, billable = make_reason(billable=False), make_reason(billable=True)
    child = make_billed_family(calendar=setup).children.get()
    declare_absence(book(child, setup, TUE), excused)
    declare_absence(book(child, setup, THU), billable)
    book(child, setup, FRI)
    other = make_billed_family(calendar=setup).children.get()
    declare_absence(book(other, setup, TUE), excused)
    book(other, setup, THU)  # left unmarked
    book(other, setup, FRI)
    for day in (TUE, THU, FRI):
        tap(setup, child, day, MarkState.ABSENT)
    tap(setup, other, TUE)  # came anyway
    tap(setup, other, FRI, MarkState.ABSENT)
    for day in (TUE, THU, FRI):
        close(setup, day)
    lines, anomalies = lines_of(setup)
    assert anomalies == []
    two_fifty = Decimal("2.50")
    assert [(line.child, *reason) for line, reason in zip(lines, reasons(lines), strict=True)] == [
        (child, THU, LineReason.UNJUSTIFIED_ABSENCE, two_fifty),
        (child, FRI, LineReason.UNJUSTIFIED_ABSENCE, two_fifty),
        (other, TUE, LineReason.PRESENT, two_fifty),
        (other, THU, LineReason.UNJUSTIFIED_ABSENCE, two_fifty),
        (other, FRI, LineReason.UNJUSTIFIED_ABSENCE, two_fifty),
    ]
    assert lines[3].mark is None and lines[4].mark is not None


def test_unbooked_presence_is_billed_at_the_town_surcharge(setup):
    rate(setup, unbooked="120")
    child = make_billed_family(calendar=setup, quotient="450").children.get()
    mark = came_unbooked(setup, child, THU)
    assert mark.unbooked
    close(setup, THU)
    (line,), anomalies = lines_of(setup)
    assert anomalies == []
    assert (line.reason, line.booking, line.mark) == (LineReason.UNBOOKED_PRESENCE, None, mark)
    assert (line.unit_price, line.rate, line.amount) == (Decimal("1.00"), 120, Decimal("1.20"))
    assert line.key == (child.pk, setup["service"].pk, THU.isoformat(), "Repas")


def test_unbooked_presence_at_zero_percent_is_not_billed(setup):
    rate(setup, unbooked="0")
    child = make_billed_family(calendar=setup).children.get()
    came_unbooked(setup, child, THU)
    close(setup, THU)
    assert lines_of(setup) == ([], [])


def test_unbooked_child_marked_absent_afterwards_is_not_billed(setup):
    child = make_billed_family(calendar=setup).children.get()
    came_unbooked(setup, child, THU)
    tap(setup, child, THU, MarkState.ABSENT)  # added by mistake
    close(setup, THU)
    assert lines_of(setup) == ([], [])


@pytest.mark.parametrize(
    ("family_fields", "price", "amount", "label", "kinds"),
    [
        ({"resident": False}, "6.00", "7.20", "2026-2027 : tarif hors commune", []),
        (
            {"quotient": None},
            "4.00",
            "4.80",
            "2026-2027 : tarif sans quotient familial",
            [(AnomalyKind.NO_QF, False)],
        ),
    ],
)
def test_unbooked_presence_priced_like_any_day(setup, family_fields, price, amount, label, kinds):
    rate(setup, unbooked="120")
    child = make_billed_family(calendar=setup, **family_fields).children.get()
    came_unbooked(setup, child, THU)
    close(setup, THU)
    (line,), anomalies = lines_of(setup)
    assert (line.unit_price, line.amount) == (Decimal(price), Decimal(amount))
    assert line.pricing_label == label
    assert [(a.kind, a.blocking) for a in anomalies] == kinds


def test_unbooked_presence_on_a_day_no_grid_covers_is_a_blocking_anomaly(setup):
    child = make_billed_family(calendar=setup).children.get()
    came_unbooked(setup, child, THU)
    close(setup, THU)
    setup["service"].tariff_grids.update(valid_until=TUE)
    lines, (anomaly,) = lines_of(setup)
    assert lines == []
    assert (anomaly.kind, anomaly.blocking, anomaly.day) == (AnomalyKind.NO_GRID, True, THU)


def test_register_left_open_for_a_past_day_blocks_until_closed(setup):
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    book(child, setup, TUE)
    book(child, setup, THU)
    tap(setup, child, TUE)
    stranger = make_billed_family(calendar=setup).children.get()
    came_unbooked(setup, stranger, TUE)
    tap(setup, child, THU)
    close(setup, THU)
    lines, anomalies = lines_of(setup)
    assert reasons(lines) == [(THU, LineReason.PRESENT, Decimal("2.50"))]
    assert [(a.family_id, a.kind, a.blocking, a.day) for a in anomalies] == [
        (family.pk, AnomalyKind.OPEN_REGISTER, True, TUE),
        (stranger.family_id, AnomalyKind.OPEN_REGISTER, True, TUE),
    ]
    site = setup["site"]
    assert anomalies[0].message == (
        f"Registre non clos : {site} — Repas — 01/12/2026. Faites-le clore puis relancez le calcul."
    )
    close(setup, TUE)
    lines, anomalies = lines_of(setup)
    assert anomalies == []
    assert reasons(lines) == [
        (TUE, LineReason.PRESENT, Decimal("2.50")),
        (THU, LineReason.PRESENT, Decimal("2.50")),
        (TUE, LineReason.UNBOOKED_PRESENCE, Decimal("2.50")),
    ]


def test_a_day_without_register_is_billed_from_its_booking(setup):
    excused = make_reason(billable=False)
    child = make_billed_family(calendar=setup).children.get()
    book(child, setup, TUE)
    declare_absence(book(child, setup, THU), excused)
    book(child, setup, FRI)
    tap(setup, child, FRI)
    close(setup, FRI)
    lines, _ = lines_of(setup)
    assert reasons(lines) == [
        (TUE, LineReason.BOOKED, Decimal("2.50")),
        (FRI, LineReason.PRESENT, Decimal("2.50")),
    ]
    assert lines[0].mark is None


def test_one_line_a_day_when_booking_and_unbooked_presence_meet(setup):
    """Booked after coming unannounced → « présent » once; cancelled late but came
    anyway → the « présence sans réservation », not the penalty too."""
    rate(setup, unbooked="120")
    child = make_billed_family(calendar=setup).children.get()
    came_unbooked(setup, child, THU)
    booking = book(child, setup, THU)
    book(child, setup, FRI, state=BookingState.CANCELLED, cancelled_late=True)
    came_unbooked(setup, child, FRI)
    book(child, setup, TUE, state=BookingState.CANCELLED, cancelled_late=True)
    for day in (TUE, THU, FRI):
        close(setup, day)
    lines, _ = lines_of(setup)
    assert reasons(lines) == [
        (TUE, LineReason.LATE_CANCELLATION, Decimal("2.50")),
        (THU, LineReason.PRESENT, Decimal("2.50")),
        (FRI, LineReason.UNBOOKED_PRESENCE, Decimal("3.00")),
    ]
    assert lines[1].booking == booking
    assert len({line.key for line in lines}) == 3


def _families_with_attendance(setup, count):
    """``count`` families, each child present on Thursday and unbooked on Friday."""
    families = []
    for _ in range(count):
        family = make_billed_family(calendar=setup)
        child = family.children.get()
        book(child, setup, THU)
        tap(setup, child, THU)
        came_unbooked(setup, child, FRI)
        families.append(family)
    return families


def test_billable_lines_queries_do_not_grow_with_families(setup):
    families = _families_with_attendance(setup, 20)
    close(setup, THU)
    close(setup, FRI)
    few, (lines_one, _) = count_call(lines_of, setup, families=[families[0].pk])
    more, (lines_many, _) = count_call(lines_of, setup)
    assert (len(lines_one), len(lines_many)) == (2, 40)
    assert few == more


def test_draft_and_issue_with_attendance_lines_to_the_cent(setup):
    rate(setup, unbooked="115")
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    book(child, setup, TUE)
    book(child, setup, THU)
    book(child, setup, MON)  # no register: billed as booked
    tap(setup, child, TUE, MarkState.ABSENT)
    tap(setup, child, THU)
    came_unbooked(setup, child, FRI)
    walk_in = make_billed_family(calendar=setup, resident=False)  # nothing booked
    came_unbooked(setup, walk_in.children.get(), FRI)
    close(setup, THU)
    close(setup, FRI)  # Tuesday's register is left open
    run = services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
    )
    run = services.run_draft(run=run)
    (anomaly,) = run.anomalies.all()
    assert (anomaly.kind, anomaly.blocking, anomaly.day) == (AnomalyKind.OPEN_REGISTER, True, TUE)
    with pytest.raises(ValidationError, match="anomalies bloquantes"):
        services.run_issue(run=run, actor=None, today=TODAY)
    close(setup, TUE)
    run = services.run_issue(run=services.run_draft(run=run), actor=None, today=TODAY)
    invoice = Invoice.objects.get(run=run, family=family)
    assert list(invoice.lines.values_list("day", "reason", "rate", "amount")) == [
        (TUE, LineReason.UNJUSTIFIED_ABSENCE, 100, Decimal("2.50")),
        (THU, LineReason.PRESENT, 100, Decimal("2.50")),
        (FRI, LineReason.UNBOOKED_PRESENCE, 115, Decimal("2.88")),  # 2.875 half-up
        (MON, LineReason.BOOKED, 100, Decimal("2.50")),
    ]
    assert invoice.total == Decimal("10.38")
    unbooked = invoice.lines.get(day=FRI)
    assert unbooked.booking is None and unbooked.mark.unbooked
    assert invoice.lines.get(day=THU).mark.state == MarkState.PRESENT
    assert Invoice.objects.get(run=run, family=walk_in).total == Decimal("6.90")  # 6 × 115 %
    assert InvoiceLine.objects.filter(invoice__run=run).count() == 5
    client = Client()
    client.force_login(login_for(family))
    page = text(client.get(reverse("espace_prive:billing:invoice", args=[invoice.public_id])))
    for label in ("Absence non justifiée", "Présent", "Présence sans réservation", "Réservé"):
        assert f"<td>{label}</td>" in page
    invoice = invoice_pdf_ensure(invoice)
    with storages["private"].open(invoice.pdf.name, "rb") as handle:
        pdf = " ".join(pdf_text(handle.read()).split())
    assert "Présence sans" in pdf and "réservation (115 %)" in pdf  # wrapped in its cell
    assert "Présent" in pdf and "Absence non justifiée" in pdf and "2,88 €" in pdf
