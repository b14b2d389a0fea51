"""Cancelling a day, and the waiting list: a freed place (a cancellation, a capacity
increase) goes to the next child in order of arrival, in the same transaction, and the
family is told. Inside the cancellation deadline of that day the family could no
longer cancel a place it did not choose to take now: then nobody is promoted unless
staff confirm it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import notices
from ..models import Booking, BookingAction, BookingEvent, BookingState, UnitDay
from ..permissions import BOOK_FOR_FAMILY
from ..planning import Planning, fr_date
from ._common import acts_as_staff, check_actor
from .bookings import _counts, _lock_unit_days, _places


def _cancel_deadline_passed(unit, day, *, child, now):
    planning = Planning(child=child, start=day, end=day, services=[unit.service_id], now=now)
    planned_unit = planning.unit(unit.pk) or unit
    status = planning.status(planned_unit, day)
    return not planning.before_deadline(planned_unit, day, cancel=True, period=status.period)


def _promote(key, *, actor, by_staff, now, confirm=False):
    """Promote waiting children of ``key`` (unit id, site id, day) while places are free;
    the day's ``UnitDay`` row must be locked. Returns the promoted bookings."""
    unit_days = {key: UnitDay.objects.get(unit_id=key[0], site_id=key[1], day=key[2])}
    places = _places([key], unit_days)[key]
    booked, _waiting = _counts([key])[key]
    promoted = []
    queue = (
        Booking.objects.select_for_update()
        .filter(unit_id=key[0], site_id=key[1], day=key[2], state=BookingState.WAITING)
        .select_related("child__family", "unit__service", "site")
        .order_by("queued_at", "id")
    )
    for booking in queue:
        if places is not None and booked >= places:
            break
        late = _cancel_deadline_passed(booking.unit, booking.day, child=booking.child, now=now)
        if late and not (by_staff and confirm):
            break  # nobody jumps the queue: the first child waits for staff to confirm
        booking.state = BookingState.BOOKED
        booking.promoted_at = now
        booking.save(update_fields=["state", "promoted_at"])
        BookingEvent.objects.create(
            booking=booking,
            action=BookingAction.PROMOTED,
            actor=actor if by_staff else None,  # automatic unless staff confirmed
            by_staff=by_staff,
            past_deadline=late,
            at=now,
            note="Place libérée" if not late else "Place libérée, confirmée par le service",
        )
        notices.place_granted(booking)
        promoted.append(booking)
        booked += 1
    return promoted


def booking_cancel(*, actor, booking, now=None, confirm_promotion=False):
    """Cancel a booking (or leave the waiting list); a freed place goes to the next
    child waiting. Past the cancellation deadline only staff may cancel (recorded as a
    late cancellation); the family declares an absence instead. Cancelling twice
    returns the cancelled booking."""
    now = now or timezone.now()
    child = booking.child
    by_staff = check_actor(actor, child)
    key = (booking.unit_id, booking.site_id, booking.day)
    late = _cancel_deadline_passed(booking.unit, booking.day, child=child, now=now)
    if late and not by_staff:
        raise ValidationError(
            f"Le délai d'annulation du {fr_date(booking.day)} est passé : vous pouvez "
            "déclarer une absence.",
            code="past_deadline",
        )
    with transaction.atomic():
        _lock_unit_days([key])
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.state == BookingState.CANCELLED:
            return locked
        was_booked = locked.state == BookingState.BOOKED
        locked.state = BookingState.CANCELLED
        locked.cancelled_at = now
        locked.cancelled_by = actor
        locked.cancelled_by_staff = by_staff
        locked.cancelled_late = late
        locked.save(
            update_fields=[
                "state",
                "cancelled_at",
                "cancelled_by",
                "cancelled_by_staff",
                "cancelled_late",
            ]
        )
        BookingEvent.objects.create(
            booking=locked,
            action=BookingAction.CANCELLED,
            actor=actor,
            by_staff=by_staff,
            past_deadline=late,
            at=now,
        )
        if was_booked:
            locked.promoted = _promote(
                key, actor=actor, by_staff=by_staff, now=now, confirm=confirm_promotion
            )
    return locked


def waiting_list_promote(*, actor, unit, site, day, now=None):
    """Staff give the free places of a day to the waiting children (inside the
    cancellation deadline too: staff confirm it). Returns the promoted bookings."""
    if not acts_as_staff(actor):
        raise PermissionDenied("Seul le service peut attribuer les places libérées.")
    now = now or timezone.now()
    key = (unit.pk, site.pk, day)
    with transaction.atomic():
        _lock_unit_days([key])
        return _promote(key, actor=actor, by_staff=True, now=now, confirm=True)


def capacity_changed(*, actor, unit, site, days=None, now=None):
    """After a capacity increase (default or for some days): promote waiting children
    of the coming days, within the deadline rules (staff confirm the late ones with
    ``waiting_list_promote``)."""
    if actor is not None and not (actor.has_perm(BOOK_FOR_FAMILY) or actor.is_superuser):
        raise PermissionDenied("Vous ne pouvez pas modifier les capacités d'accueil.")
    now = now or timezone.now()
    today = timezone.localdate(now)
    waiting = Booking.objects.filter(
        unit=unit, site=site, state=BookingState.WAITING, day__gte=today
    )
    if days is not None:
        waiting = waiting.filter(day__in=list(days))
    promoted = []
    for day in sorted(set(waiting.values_list("day", flat=True))):
        key = (unit.pk, site.pk, day)
        with transaction.atomic():
            _lock_unit_days([key])
            promoted += _promote(key, actor=actor, by_staff=True, now=now, confirm=False)
    return promoted
