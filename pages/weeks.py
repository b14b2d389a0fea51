"""ISO weeks (``2026-W48``): the unit of the canteen menus."""

import datetime
import re

_ISO_WEEK = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")
MIN_YEAR, MAX_YEAR = 2000, 2100
DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


# Menus of a week in the next ten years or the last ten: a week outside is a typo (2062
# for 2026), refused wherever a week is typed.
MENU_YEARS_AHEAD = 10
MENU_YEARS_BACK = 10


class InvalidWeek(ValueError):
    """The text is not an ISO week we can show; the message is French, for the user."""


def parse_iso_week(text):
    """The Monday of the ISO week ``2026-W48`` (also ``2026W48``, ``2026-w48``)."""
    match = _ISO_WEEK.match(text or "")
    if not match:
        raise InvalidWeek(
            f"« {str(text)[:20]} » n'est pas une semaine valide : utilisez le format "
            "année-W-numéro, par exemple 2026-W48."
        )
    year, week = int(match.group(1)), int(match.group(2))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidWeek(f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.")
    try:
        return datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidWeek(f"L'année {year} n'a pas de semaine numéro {week}.") from None


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def iso_week_code(day):
    """``2026-W48`` for any day of that week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def format_day(day, *, weekday=True, year=True):
    """« lundi 23 novembre 2026 » (French, without locale machinery)."""
    text = f"{day.day}{'er' if day.day == 1 else ''} {MONTH_NAMES[day.month - 1]}"
    if year:
        text += f" {day.year}"
    if weekday:
        text = f"{DAY_NAMES[day.weekday()]} {text}"
    return text


def week_label(monday):
    """« semaine du 23 au 29 novembre 2026 »."""
    sunday = monday + datetime.timedelta(days=6)
    if monday.month == sunday.month:
        start = f"{monday.day}{'er' if monday.day == 1 else ''}"
    elif monday.year == sunday.year:
        start = format_day(monday, weekday=False, year=False)
    else:
        start = format_day(monday, weekday=False)
    return f"semaine du {start} au {format_day(sunday, weekday=False)}"


def menu_week_error(day, *, today):
    """The French message when the week of ``day`` is too far from ``today`` for menus."""
    monday = monday_of(day)
    if monday.year > today.year + MENU_YEARS_AHEAD:
        return (
            f"La {week_label(monday)} est trop loin : les menus se préparent au plus "
            f"{MENU_YEARS_AHEAD} ans à l'avance. Vérifiez l'année."
        )
    if monday.year < today.year - MENU_YEARS_BACK:
        return (
            f"La {week_label(monday)} est trop ancienne : les menus remontent à "
            f"{MENU_YEARS_BACK} ans au plus. Vérifiez l'année."
        )
    return None


def parse_menu_week(code, *, today):
    """The Monday of ISO week ``code``, refused (``InvalidWeek``) when decades away."""
    monday = parse_iso_week(code)
    if message := menu_week_error(monday, today=today):
        raise InvalidWeek(message)
    return monday
