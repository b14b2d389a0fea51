"""Pure rules of the bookings: deadlines (when a day may still be booked or cancelled)
and their French wording. One function computes each deadline, used by the pages, the
API and the services alike; times are aware datetimes in Europe/Paris.
"""

import datetime
import zoneinfo

from .holidays import is_public_holiday
from .models import DeadlineKind, HolidayCalendar, PeriodKind

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
NUMBERS = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit"}


def time_words(moment):
    """« 10 h », « 10 h 30 », « midi », « minuit »."""
    if moment == datetime.time(12, 0):
        return "midi"
    if moment == datetime.time(0, 0):
        return "minuit"
    if moment.minute:
        return f"{moment.hour} h {moment.minute:02d}"
    return f"{moment.hour} h"


def describe_deadline(rule):
    """The rule in plain French, as families read it."""
    at = time_words(rule.at_time)
    if rule.kind == DeadlineKind.DAYS_BEFORE:
        text = "jusqu'au jour même" if rule.days == 0 else f"jusqu'à J-{rule.days}"
        text += f" à {at}"
        if rule.working_days and rule.days:
            text += ", jours ouvrés"
        return text
    if rule.kind == DeadlineKind.WEEKDAY_BEFORE_WEEK:
        weekday = WEEKDAY_NAMES[rule.weekday]
        moment = f"le {weekday} {at}" if at in ("midi", "minuit") else f"le {weekday} à {at}"
        if rule.weeks_before == 1:
            return f"{moment} pour la semaine suivante"
        weeks = NUMBERS.get(rule.weeks_before, str(rule.weeks_before))
        return f"{moment}, {weeks} semaines avant la semaine réservée"
    if rule.days == 0:
        text = "jusqu'au début des vacances"
    elif rule.days == 1:
        text = "la veille du début des vacances"
    else:
        text = f"{rule.days} jours avant le début des vacances"
    if rule.at_time != datetime.time(0, 0):
        text += f", à {at}"
    return text


class WorkingDays:
    """Which days count as working days for a commune: not a weekend, not a public
    holiday, not a closure of the whole commune (``closed_days``: a set of dates)."""

    def __init__(self, calendar=HolidayCalendar.METROPOLE, closed_days=frozenset()):
        self.calendar = calendar
        self.closed_days = closed_days

    def is_working_day(self, day):
        return (
            day.weekday() < 5
            and not is_public_holiday(day, self.calendar)
            and day not in self.closed_days
        )

    def back(self, day, count):
        """The ``count``-th working day before ``day`` (``day`` itself when 0)."""
        current = day
        while count > 0:
            current -= datetime.timedelta(days=1)
            if self.is_working_day(current):
                count -= 1
        return current


def deadline(rule, day, *, period=None, working_days=None):
    """The last moment (exclusive) to act on ``day`` under ``rule``, in Europe/Paris.

    ``period`` is the service's period holding ``day`` (for ``BEFORE_PERIOD``; without
    one, the day itself stands for the start). ``working_days`` is the commune's
    ``WorkingDays`` (metropolitan public holidays by default).
    """
    if rule.kind == DeadlineKind.DAYS_BEFORE:
        if rule.working_days:
            limit = (working_days or WorkingDays()).back(day, rule.days)
        else:
            limit = day - datetime.timedelta(days=rule.days)
    elif rule.kind == DeadlineKind.WEEKDAY_BEFORE_WEEK:
        monday = day - datetime.timedelta(days=day.weekday())
        limit = (
            monday
            - datetime.timedelta(weeks=rule.weeks_before)
            + datetime.timedelta(days=rule.weekday)
        )
    else:
        start = period.starts_on if period is not None else day
        limit = start - datetime.timedelta(days=rule.days)
    return datetime.datetime.combine(limit, rule.at_time, tzinfo=PARIS)


def is_before_deadline(rule, day, *, now, period=None, working_days=None):
    """Whether ``now`` (aware) is still before the deadline of ``day``."""
    return now < deadline(rule, day, period=period, working_days=working_days)


def period_label(period):
    """« des vacances » or « de la période » (for messages)."""
    return "des vacances" if period.kind == PeriodKind.HOLIDAYS else "de la période"
