"""Deadline rules read in plain French."""

import datetime

from espace_prive.bookings.models import DeadlineRule


def test_deadline_rules_read_in_french():
    rule = DeadlineRule
    assert (
        rule(
            kind=rule.Kind.DAYS_BEFORE, days=2, at_time=datetime.time(10), working_days=True
        ).describe()
        == "jusqu'à J-2 à 10 h, jours ouvrés"
    )
    assert (
        rule(kind=rule.Kind.DAYS_BEFORE, days=0, at_time=datetime.time(9, 30)).describe()
        == "jusqu'au jour même à 9 h 30"
    )
    assert (
        rule(
            kind=rule.Kind.WEEKDAY_BEFORE_WEEK, weekday=3, weeks_before=1, at_time=datetime.time(12)
        ).describe()
        == "le jeudi midi pour la semaine suivante"
    )
    assert rule(
        kind=rule.Kind.WEEKDAY_BEFORE_WEEK, weekday=4, weeks_before=2, at_time=datetime.time(18)
    ).describe() == ("le vendredi à 18 h, deux semaines avant la semaine réservée")
    assert (
        rule(kind=rule.Kind.BEFORE_PERIOD, days=10, at_time=datetime.time(0)).describe()
        == "10 jours avant le début des vacances"
    )
    assert (
        rule(kind=rule.Kind.BEFORE_PERIOD, days=1, at_time=datetime.time(12)).describe()
        == "la veille du début des vacances, à midi"
    )
