"""French public holidays, computed (never typed in): fixed days, and those that follow
Easter (lundi de Pâques, Ascension, lundi de Pentecôte; Vendredi saint in
Alsace-Moselle, with the 26 December)."""

import datetime
from functools import lru_cache

from .models import HolidayCalendar


def easter_sunday(year):
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@lru_cache(maxsize=256)
def public_holidays(year, calendar=HolidayCalendar.METROPOLE):
    """{date: French name} of the public holidays of ``year``."""
    easter = easter_sunday(year)
    days = {
        datetime.date(year, 1, 1): "Jour de l'an",
        easter + datetime.timedelta(days=1): "Lundi de Pâques",
        datetime.date(year, 5, 1): "Fête du Travail",
        datetime.date(year, 5, 8): "Victoire 1945",
        easter + datetime.timedelta(days=39): "Ascension",
        easter + datetime.timedelta(days=50): "Lundi de Pentecôte",
        datetime.date(year, 7, 14): "Fête nationale",
        datetime.date(year, 8, 15): "Assomption",
        datetime.date(year, 11, 1): "Toussaint",
        datetime.date(year, 11, 11): "Armistice 1918",
        datetime.date(year, 12, 25): "Noël",
    }
    if calendar == HolidayCalendar.ALSACE_MOSELLE:
        days[easter - datetime.timedelta(days=2)] = "Vendredi saint"
        days[datetime.date(year, 12, 26)] = "Saint-Étienne"
    return dict(sorted(days.items()))


def public_holiday_name(day, calendar=HolidayCalendar.METROPOLE):
    """The holiday's name, or None on an ordinary day."""
    return public_holidays(day.year, calendar).get(day)


def is_public_holiday(day, calendar=HolidayCalendar.METROPOLE):
    return day in public_holidays(day.year, calendar)
