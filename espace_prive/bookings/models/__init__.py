"""Models of the bookings app, in five modules re-exported here."""

from .absences import Absence, AbsenceDeclaration, AbsenceReason
from .bookings import Booking, BookingAction, BookingEvent, BookingState
from .calendar import (
    WEEKDAY_FIELDS,
    WEEKDAY_NAMES,
    ActivityUnit,
    Closure,
    Commune,
    HolidayCalendar,
    Period,
    PeriodKind,
    SchoolHoliday,
    SchoolYear,
    SchoolZone,
    UnitCapacity,
    UnitDay,
    UnitKind,
)
from .deadlines import DeadlineKind, DeadlineRule, ServiceRules
from .enrolments import ACTIVE_ENROLMENT_STATES, Enrolment, EnrolmentState
from .feeds import CalendarFeed

__all__ = [
    "ACTIVE_ENROLMENT_STATES",
    "WEEKDAY_FIELDS",
    "WEEKDAY_NAMES",
    "Absence",
    "AbsenceDeclaration",
    "AbsenceReason",
    "ActivityUnit",
    "Booking",
    "BookingAction",
    "BookingEvent",
    "BookingState",
    "CalendarFeed",
    "Closure",
    "Commune",
    "DeadlineKind",
    "DeadlineRule",
    "Enrolment",
    "EnrolmentState",
    "HolidayCalendar",
    "Period",
    "PeriodKind",
    "SchoolHoliday",
    "SchoolYear",
    "SchoolZone",
    "ServiceRules",
    "UnitCapacity",
    "UnitDay",
    "UnitKind",
]
