"""A family's booked days as an iCalendar feed (RFC 5545), written by hand: CRLF line
ends, TEXT values escaped, lines folded at 75 octets without splitting a character.

Only what a calendar needs: the child's first name, the activity, its hours and its
site. Never any health data: no allergy, PAI or diet, and an absent day says « absent »
without its reason.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from espace_prive.notifications import absolute_url

from .models import BookingState

PRODID = "-//Portail Famille//Agenda des réservations//FR"
MAX_OCTETS = 75


def feed_url(feed):
    """The absolute address of ``feed`` (what the family copies into its calendar)."""
    return absolute_url(reverse("calendar_feed", kwargs={"token": feed.token}))


def escape_text(value):
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Fold a content line into lines of at most 75 octets (RFC 5545 §3.1): each
    continuation starts with one space; a UTF-8 character is never cut."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not parts else MAX_OCTETS - 1  # the leading space counts
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def utc_stamp(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _moment(day, at):
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _event(booking, *, stamp, domain):
    unit = booking.unit
    child = booking.child.first_name
    absent = getattr(booking, "absence", None) is not None
    if absent:
        status, note = "CANCELLED", "absent(e)"
    elif booking.state == BookingState.WAITING:
        status, note = "TENTATIVE", "liste d'attente"
    else:
        status, note = "CONFIRMED", ""
    summary = f"{child} : {unit.name}"
    if note:
        summary += f" ({note})"
    description = f"{unit.service.name}, {unit.hours_label}. {booking.get_state_display()}."
    if absent:
        description = f"{unit.service.name}, {unit.hours_label}. Absence déclarée."
    location = booking.site.name
    if getattr(booking.site, "address", ""):
        location += f", {booking.site.address}"
    return [
        "BEGIN:VEVENT",
        f"UID:{booking.public_id}@{domain}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(_moment(booking.day, unit.starts_at))}",
        f"DTEND:{utc_stamp(_moment(booking.day, unit.ends_at))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"LOCATION:{escape_text(location)}",
        f"STATUS:{status}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def family_calendar(bookings, *, name, domain, now=None):
    """The text of the feed: one event per booked (or waiting) day."""
    stamp = utc_stamp(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{escape_text(PRODID)}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Paris",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    for booking in bookings:
        lines += _event(booking, stamp=stamp, domain=domain)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
