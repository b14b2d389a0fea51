"""Deadlines at their edges, in Europe/Paris: one minute before and after, across a
daylight-saving change, working days around a public holiday, the weekly rule and the
rule before a holiday period."""

import datetime
import zoneinfo

from espace_prive.bookings import rules
from espace_prive.bookings.models import DeadlineRule, HolidayCalendar, Period

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC
MINUTE = datetime.timedelta(minutes=1)


def _rule(**fields):
    fields.setdefault("kind", DeadlineRule.Kind.DAYS_BEFORE)
    fields.setdefault("at_time", datetime.time(10, 0))
    return DeadlineRule(**fields)


def test_d_minus_2_at_10_one_minute_before_and_after():
    rule = _rule(days=2)
    day = datetime.date(2027, 1, 14)
    limit = rules.deadline(rule, day)
    assert limit == datetime.datetime(2027, 1, 12, 10, 0, tzinfo=PARIS)
    assert rules.is_before_deadline(rule, day, now=limit - MINUTE)
    assert not rules.is_before_deadline(rule, day, now=limit)
    assert not rules.is_before_deadline(rule, day, now=limit + MINUTE)


def test_deadline_across_the_spring_daylight_saving_change():
    # Sunday 28 March 2027, 2:00 → 3:00: the deadline of Tuesday 30 is 10:00 CEST on the
    # 28th, i.e. 08:00 UTC (it would be 09:00 UTC in winter time).
    rule = _rule(days=2)
    day = datetime.date(2027, 3, 30)
    assert rules.deadline(rule, day).astimezone(UTC) == datetime.datetime(
        2027, 3, 28, 8, 0, tzinfo=UTC
    )
    assert rules.is_before_deadline(
        rule, day, now=datetime.datetime(2027, 3, 28, 7, 59, tzinfo=UTC)
    )
    assert not rules.is_before_deadline(
        rule, day, now=datetime.datetime(2027, 3, 28, 8, 1, tzinfo=UTC)
    )


def test_deadline_across_the_autumn_daylight_saving_change():
    rule = _rule(days=1, at_time=datetime.time(2, 30))  # 2:30 happens twice on 25 Oct 2026
    limit = rules.deadline(rule, datetime.date(2026, 10, 26))
    assert limit.astimezone(UTC) == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    rule = _rule(days=2)
    day = datetime.date(2026, 10, 27)  # deadline Sunday 25 October 10:00 CET = 09:00 UTC
    assert rules.is_before_deadline(
        rule, day, now=datetime.datetime(2026, 10, 25, 8, 59, tzinfo=UTC)
    )
    assert not rules.is_before_deadline(
        rule, day, now=datetime.datetime(2026, 10, 25, 9, 1, tzinfo=UTC)
    )


def test_working_days_skip_weekends_and_public_holidays():
    rule = _rule(days=2, working_days=True)
    # Friday 13 November 2026: Thursday 12, then Tuesday 10 (Wednesday 11 is Armistice).
    assert rules.deadline(rule, datetime.date(2026, 11, 13)).date() == datetime.date(2026, 11, 10)
    # Monday 30 March 2027 (after Easter Monday 29 March): Friday 26, Thursday 25.
    assert rules.deadline(rule, datetime.date(2027, 3, 30)).date() == datetime.date(2027, 3, 25)
    # In Alsace-Moselle, Good Friday 26 March is off as well: Thursday 25, Wednesday 24.
    alsace = rules.WorkingDays(HolidayCalendar.ALSACE_MOSELLE)
    assert rules.deadline(rule, datetime.date(2027, 3, 30), working_days=alsace).date() == (
        datetime.date(2027, 3, 24)
    )
    # A commune-wide closure is not a working day either.
    closed = rules.WorkingDays(closed_days=frozenset({datetime.date(2026, 11, 12)}))
    assert rules.deadline(rule, datetime.date(2026, 11, 13), working_days=closed).date() == (
        datetime.date(2026, 11, 9)
    )


def test_working_day_deadline_one_minute_around_ten_before_a_public_holiday():
    rule = _rule(days=2, working_days=True)
    day = datetime.date(2026, 11, 13)
    limit = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=PARIS)
    assert rules.is_before_deadline(rule, day, now=limit - MINUTE)
    assert not rules.is_before_deadline(rule, day, now=limit + MINUTE)


def test_thursday_noon_for_the_next_week():
    rule = DeadlineRule(
        kind=DeadlineRule.Kind.WEEKDAY_BEFORE_WEEK,
        weekday=3,
        weeks_before=1,
        at_time=datetime.time(12, 0),
    )
    for day in (datetime.date(2027, 1, 11), datetime.date(2027, 1, 15)):
        assert rules.deadline(rule, day) == datetime.datetime(2027, 1, 7, 12, 0, tzinfo=PARIS)


def test_ten_days_before_the_start_of_the_holidays():
    rule = DeadlineRule(kind=DeadlineRule.Kind.BEFORE_PERIOD, days=10, at_time=datetime.time(0))
    period = Period(
        kind=Period.Kind.HOLIDAYS,
        starts_on=datetime.date(2027, 2, 15),
        ends_on=datetime.date(2027, 2, 26),
    )
    limit = datetime.datetime(2027, 2, 5, 0, 0, tzinfo=PARIS)
    assert rules.deadline(rule, datetime.date(2027, 2, 24), period=period) == limit
    assert rules.is_before_deadline(
        rule, datetime.date(2027, 2, 24), period=period, now=limit - MINUTE
    )
