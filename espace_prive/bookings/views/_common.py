"""What the family pages of the bookings share."""

import calendar
import datetime

from django.utils import timezone

from ..forms import parse_month

MONTHS = [
    "",
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
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def add_errors(form, error):
    """A service's ``ValidationError`` next to the form's fields (or at the top)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def day_label(day):
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month]} {day.year}"


def month_range(request):
    """First and last day of the month of ``?mois=AAAA-MM`` (today's by default), and
    the first days of the months before and after."""
    first = parse_month(request.GET.get("mois"), timezone.localdate())
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = last + datetime.timedelta(days=1)
    return {
        "first": first,
        "last": last,
        "label": f"{MONTHS[first.month]} {first.year}",
        "previous": f"{previous:%Y-%m}",
        "previous_label": f"{MONTHS[previous.month]} {previous.year}",
        "next": f"{following:%Y-%m}",
        "next_label": f"{MONTHS[following.month]} {following.year}",
        "param": f"{first:%Y-%m}",
    }


def days_of(entries):
    """``[(day, label, [entries])]`` in order; weekend days with nothing but closures
    are left out."""
    days = {}
    for entry in entries:
        days.setdefault(entry.day, []).append(entry)
    result = []
    for day, day_entries in sorted(days.items()):
        if day.weekday() >= 5 and all(e.state == "ferme" for e in day_entries):
            continue
        result.append({"day": day, "label": day_label(day), "entries": day_entries})
    return result
