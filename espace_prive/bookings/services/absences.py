"""Declaring an absence: booked days of a child the child will miss, with a reason from
the town's list and an optional certificate (checked by content, private storage).

Days still before their cancellation deadline are cancelled instead: cancelling in
time is a cancellation, not an absence.
"""

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from espace_prive.uploads import process_document

from ..models import (
    Absence,
    AbsenceDeclaration,
    Booking,
    BookingAction,
    BookingEvent,
    BookingState,
)
from ..planning import Planning, fr_date
from ._common import MAX_PATTERN_DAYS, check_actor, parse_day
from .waiting_list import booking_cancel


@dataclass
class AbsenceOutcome:
    """``declaration`` (None when every day could still be cancelled), the bookings now
    absent, and those cancelled instead."""

    declaration: AbsenceDeclaration | None
    absent: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)


def _certificate_name(declaration, content):
    suffix = PurePosixPath(content.name or "").suffix.lower() or ".pdf"
    return f"absences/{declaration.public_id}/justificatif{suffix}"


def absence_declare(
    *,
    actor,
    child,
    reason,
    first_day,
    last_day,
    units=None,
    details="",
    certificate=None,
    now=None,
):
    """Declare ``child`` absent from ``first_day`` to ``last_day`` (all booked units, or
    ``units``); returns an ``AbsenceOutcome``."""
    now = now or timezone.now()
    first_day, last_day = parse_day(first_day, "first_day"), parse_day(last_day, "last_day")
    if last_day < first_day:
        raise ValidationError({"last_day": "Le dernier jour d'absence précède le premier."})
    if (last_day - first_day).days >= MAX_PATTERN_DAYS:
        raise ValidationError({"last_day": "Une absence se déclare sur une année au plus."})
    if not reason.is_active:
        raise ValidationError({"reason": "Ce motif d'absence n'est plus proposé."})
    details = (details or "").strip()
    if reason.requires_details and not details:
        raise ValidationError({"details": "Précisez le motif de l'absence."})
    by_staff = check_actor(actor, child)
    content = process_document(certificate) if certificate else None
    bookings = Booking.objects.filter(
        child=child,
        day__gte=first_day,
        day__lte=last_day,
        state=BookingState.BOOKED,
        absence__isnull=True,
    ).select_related("unit__service", "site", "child__family")
    if units:
        bookings = bookings.filter(unit__in=list(units))
    bookings = list(bookings.order_by("day"))
    if not bookings:
        raise ValidationError(
            f"{child.first_name} n'a aucune réservation du {fr_date(first_day)} au "
            f"{fr_date(last_day)} : il n'y a pas d'absence à déclarer."
        )
    planning = Planning(
        child=child,
        start=first_day,
        end=last_day,
        services={b.unit.service_id for b in bookings},
        now=now,
        live=False,
    )
    cancellable, absent = [], []
    for booking in bookings:
        unit = planning.unit(booking.unit_id) or booking.unit
        period = planning.status(unit, booking.day).period
        if planning.before_deadline(unit, booking.day, cancel=True, period=period):
            cancellable.append(booking)
        else:
            absent.append(booking)
    stored = None
    try:
        with transaction.atomic():
            cancelled = [booking_cancel(actor=actor, booking=b, now=now) for b in cancellable]
            declaration = None
            if absent:
                declaration = AbsenceDeclaration(
                    child=child,
                    reason=reason,
                    details=details[:255],
                    first_day=min(b.day for b in absent),
                    last_day=max(b.day for b in absent),
                    declared_by=actor,
                    declared_by_staff=by_staff,
                    declared_at=now,
                )
                if content is not None:
                    stored = storages["private"].save(
                        _certificate_name(declaration, content), content
                    )
                    declaration.certificate = stored
                    declaration.certificate_sent_at = now
                declaration.save()
                Absence.objects.bulk_create(
                    [Absence(declaration=declaration, booking=b) for b in absent]
                )
                BookingEvent.objects.bulk_create(
                    [
                        BookingEvent(
                            booking=b,
                            action=BookingAction.ABSENCE,
                            actor=actor,
                            by_staff=by_staff,
                            at=now,
                            note=declaration.reason_label[:255],
                        )
                        for b in absent
                    ]
                )
    except BaseException:
        if stored:
            storages["private"].delete(stored)
        raise
    return AbsenceOutcome(declaration=declaration, absent=absent, cancelled=cancelled)


def absence_add_certificate(*, actor, declaration, certificate, now=None):
    """Send the certificate of an absence afterwards (it may waive the charge)."""
    check_actor(actor, declaration.child)
    content = process_document(certificate)
    now = now or timezone.now()
    with transaction.atomic():
        locked = AbsenceDeclaration.objects.select_for_update().get(pk=declaration.pk)
        old = locked.certificate.name
        stored = storages["private"].save(_certificate_name(locked, content), content)
        locked.certificate = stored
        locked.certificate_sent_at = now
        locked.save(update_fields=["certificate", "certificate_sent_at"])
        if old and old != stored:
            transaction.on_commit(lambda: storages["private"].delete(old))
    return locked
