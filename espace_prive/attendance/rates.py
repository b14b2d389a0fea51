"""Attendance rates for the occupancy dashboard (kitchen app): of the children booked on
the days whose register was closed, how many were there. Registered from
``AttendanceConfig.ready`` into ``kitchen.occupancy``, which never imports this app."""

from collections import Counter

from django.db.models import Count, Exists, OuterRef

from espace_prive.bookings.models import Booking, BookingState

from .models import Mark, MarkState, Register, RegisterState


def attendance_by_service_and_site(*, start, end):
    """``{(service_id, site_id): (present, expected)}`` over ``start``–``end``: expected
    are the booked children of closed registers, present those marked there (or gone
    home after being there). Registers still open do not count yet. Two queries."""
    closed = Register.objects.filter(
        unit_id=OuterRef("unit_id"),
        site_id=OuterRef("site_id"),
        day=OuterRef("day"),
        state=RegisterState.CLOSED,
    )
    expected = Counter(
        {
            (row["unit__service_id"], row["site_id"]): row["n"]
            for row in Booking.objects.filter(
                Exists(closed), state=BookingState.BOOKED, day__gte=start, day__lte=end
            )
            .values("unit__service_id", "site_id")
            .annotate(n=Count("id"))
        }
    )
    present = Counter(
        {
            (row["register__unit__service_id"], row["register__site_id"]): row["n"]
            for row in Mark.objects.filter(
                register__state=RegisterState.CLOSED,
                register__day__gte=start,
                register__day__lte=end,
                booking__isnull=False,
                state__in=[MarkState.PRESENT, MarkState.GONE],
            )
            .values("register__unit__service_id", "register__site_id")
            .annotate(n=Count("id"))
        }
    )
    return {key: (min(present[key], count), count) for key, count in expected.items()}
