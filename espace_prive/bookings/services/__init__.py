"""Writes of the bookings app (re-exported here: import from ``bookings.services``)."""

from ._common import parse_day
from .absences import AbsenceOutcome, absence_add_certificate, absence_declare
from .bookings import (
    BOOK,
    SKIP,
    WAIT,
    PatternLine,
    PatternPreview,
    PatternResult,
    booking_book,
    booking_pattern_confirm,
    booking_pattern_preview,
)
from .enrolments import (
    EnrolmentAlreadyDecided,
    enrolment_accept,
    enrolment_cancel,
    enrolment_refuse,
    enrolment_request,
)
from .feeds import calendar_feed_renew
from .sessions import (
    ALREADY,
    SessionOffer,
    booking_session_book,
    booking_session_offer,
    booking_session_preview,
)
from .waiting_list import booking_cancel, capacity_changed, waiting_list_promote

__all__ = [
    "ALREADY",
    "BOOK",
    "SKIP",
    "WAIT",
    "AbsenceOutcome",
    "EnrolmentAlreadyDecided",
    "PatternLine",
    "PatternPreview",
    "PatternResult",
    "SessionOffer",
    "absence_add_certificate",
    "absence_declare",
    "booking_book",
    "booking_cancel",
    "booking_pattern_confirm",
    "booking_pattern_preview",
    "booking_session_book",
    "booking_session_offer",
    "booking_session_preview",
    "calendar_feed_renew",
    "capacity_changed",
    "enrolment_accept",
    "enrolment_cancel",
    "enrolment_refuse",
    "enrolment_request",
    "parse_day",
    "waiting_list_promote",
]
