"""Factories of the billing app: a régie billing the bookings factories' canteen, a
resident family with a QF, bookings written as the bookings services leave them."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from espace_prive.billing.models import BilledService, Regie
from espace_prive.bookings.models import (
    Absence,
    AbsenceDeclaration,
    AbsenceReason,
    Booking,
    BookingState,
)
from tests.bookings.factories import make_calendar, make_enrolment
from tests.factories import make_child, make_family, make_guardian

_sequence = itertools.count(1)
DECEMBER = datetime.date(2026, 12, 1)


def make_regie(*, commune, services=(), **fields):
    fields.setdefault("name", f"Régie {next(_sequence)}")
    regie = Regie.objects.create(commune=commune, **fields)
    for service in services:
        BilledService.objects.create(regie=regie, service=service)
    return regie


def make_billing_setup(**calendar_fields):
    calendar = make_calendar(**calendar_fields)
    calendar["regie"] = make_regie(commune=calendar["commune"], services=[calendar["service"]])
    return calendar


def make_billed_family(*, calendar, quotient="700", resident=True, children=1, **fields):
    """A family of the commune (or not) with a QF valid all school year, its children
    enrolled at the canteen."""
    if quotient is not None:
        fields.setdefault("quotient_familial", Decimal(quotient))
        fields.setdefault("qf_valid_from", datetime.date(2026, 1, 1))
        fields.setdefault("qf_valid_to", datetime.date(2027, 12, 31))
    family = make_family(
        address="1 rue de la Mairie",
        postcode="38000",
        city=calendar["commune"].name if resident else "Ailleurs",
        **fields,
    )
    make_guardian(family=family, civility="mme", first_name="Anne", last_name="Roux")
    for _ in range(children):
        child = make_child(family=family)
        make_enrolment(child=child, calendar=calendar)
    return family


def book(child, calendar, day, *, state=BookingState.BOOKED, cancelled_late=False):
    cancelled = state == BookingState.CANCELLED
    return Booking.objects.create(
        child=child,
        enrolment=child.enrolments.get(service=calendar["service"]),
        unit=calendar["unit"],
        site=calendar["site"],
        day=day,
        state=state,
        cancelled_at=timezone.now() if cancelled else None,
        cancelled_by_staff=cancelled_late,
        cancelled_late=cancelled_late,
    )


def make_reason(*, billable, waived_with_certificate=False, delay=None):
    n = next(_sequence)
    return AbsenceReason.objects.create(
        code=f"motif-test-{n}",
        label=f"Motif {n}",
        billable=billable,
        waived_with_certificate=waived_with_certificate,
        certificate_delay_hours=delay,
    )


def declare_absence(booking, reason, *, certificate_sent_at=None):
    declaration = AbsenceDeclaration.objects.create(
        child=booking.child,
        reason=reason,
        first_day=booking.day,
        last_day=booking.day,
        certificate="justificatifs/test.pdf" if certificate_sent_at else "",
        certificate_sent_at=certificate_sent_at,
    )
    return Absence.objects.create(declaration=declaration, booking=booking)


def school_days(month=DECEMBER, count=4):
    """The first ``count`` Mondays/Tuesdays/Thursdays/Fridays of ``month``."""
    day, days = month, []
    while len(days) < count:
        if day.weekday() in (0, 1, 3, 4):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
