"""The family's agenda as an iCal feed (issue 11, item 7): a secret address renewed from
the family's page or the API (the old one then answers 404), the booked days as events,
no health data, RFC 5545 text (CRLF, escaped TEXT, lines folded at 75 octets)."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from espace_prive.bookings import ical, services
from espace_prive.bookings.models import (
    Absence,
    AbsenceDeclaration,
    AbsenceReason,
    Booking,
    BookingState,
    CalendarFeed,
)
from espace_prive.families.models import HealthRecord
from tests.api.bookings_helpers import bookable_days, enrol, live_calendar

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/espace-famille/agenda-en-ligne/"


def _unfold(text):
    return text.replace("\r\n ", "")


def _events(text):
    return _unfold(text).split("BEGIN:VEVENT")[1:]


# --- The text --------------------------------------------------------------------------------


def test_text_values_are_escaped():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@pytest.mark.parametrize("text", ["x" * 200, "é" * 100, "Léa : Repas — " * 12, "a€" * 60])
def test_long_lines_are_folded_at_75_octets_without_cutting_a_character(text):
    folded = ical.fold(f"SUMMARY:{text}")
    lines = folded.split("\r\n")
    assert len(lines) > 1
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert folded.replace("\r\n ", "") == f"SUMMARY:{text}"


def test_a_short_line_is_left_alone():
    assert ical.fold("VERSION:2.0") == "VERSION:2.0"


# --- The feed --------------------------------------------------------------------------------


@pytest.fixture
def calendar(db):
    return live_calendar(places=1)


@pytest.fixture
def booked(family_a, family_b, calendar, staff_user):
    """Family A: three booked days (one declared absent for illness), one on the waiting
    list, one cancelled; family B: one booked day. A's child has an allergy and a PAI."""
    child = family_a.family.children.get()
    HealthRecord.objects.create(child=child, allergies="Mangoustan", has_pai=True)
    enrol(child, calendar)
    other = family_b.family.children.get()
    other.first_name = "Bérénice"
    other.save(update_fields=["first_name"])
    enrol(other, calendar)
    days = bookable_days(child, 5)
    unit = calendar["unit"]
    bookings = [
        services.booking_book(actor=staff_user, child=child, unit=unit, day=day) for day in days[:4]
    ]
    services.booking_book(actor=staff_user, child=other, unit=unit, day=days[4])
    services.booking_book(actor=staff_user, child=child, unit=unit, day=days[4])  # waiting
    services.booking_cancel(actor=staff_user, booking=bookings[3])
    declaration = AbsenceDeclaration.objects.create(
        child=child,
        reason=AbsenceReason.objects.get(code="maladie"),
        details="Varicelle",
        first_day=days[2],
        last_day=days[2],
        declared_by=staff_user,
    )
    Absence.objects.create(declaration=declaration, booking=bookings[2])
    return child, days


def _feed_for(user, family):
    return services.calendar_feed_renew(actor=user, family=family)


def test_the_feed_lists_the_booked_days_and_no_health_data(client, family_a, booked):
    child, days = booked
    feed = _feed_for(family_a.user, family_a.family)
    response = client.get(reverse("calendar_feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    raw = response.content.decode("utf-8")
    assert raw.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # every line ends with CRLF
    assert all(len(line.encode()) <= 75 for line in raw.split("\r\n"))
    events = _events(raw)
    starts = sorted(line for e in events for line in e.split("\r\n") if line.startswith("DTSTART"))
    assert len(events) == 4  # three booked days (one absent) and the waiting one
    assert [s[8:16] for s in starts] == [
        d.strftime("%Y%m%d") for d in (days[0], days[1], days[2], days[4])
    ]
    text = _unfold(raw)
    statuses = sorted(line for e in events for line in e.split("\r\n") if line.startswith("STATUS"))
    assert statuses == [
        "STATUS:CANCELLED",
        "STATUS:CONFIRMED",
        "STATUS:CONFIRMED",
        "STATUS:TENTATIVE",
    ]
    assert f"SUMMARY:{child.first_name} : Repas" in text
    assert "liste d'attente" in text
    for secret in ("Mangoustan", "PAI", "Maladie", "maladie", "Varicelle", "Bérénice"):
        assert secret not in text, secret
    uid = next(line for line in events[0].split("\r\n") if line.startswith("UID:"))
    assert uid.endswith("@" + urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname)
    # 10:30 in Paris (winter or summer) is written in UTC.
    assert all(s.endswith("Z") for s in starts)


def test_the_feed_costs_the_same_queries_for_1_or_20_days(client, family_a, calendar, staff_user):
    child = family_a.family.children.get()
    enrol(child, calendar)
    days = bookable_days(child, 20)
    services.booking_book(actor=staff_user, child=child, unit=calendar["unit"], day=days[0])
    url = reverse(
        "calendar_feed", kwargs={"token": _feed_for(family_a.user, family_a.family).token}
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for day in days[1:]:
        services.booking_book(actor=staff_user, child=child, unit=calendar["unit"], day=day)
    with CaptureQueriesContext(connection) as twenty:
        body = client.get(url).content.decode()
    assert body.count("BEGIN:VEVENT") == 20
    assert len(twenty) == len(one)


def test_an_unknown_token_is_404(client, db):
    assert client.get(reverse("calendar_feed", kwargs={"token": "inconnu"})).status_code == 404


def test_a_closed_family_file_has_no_feed(client, family_a, booked):
    from django.utils import timezone

    feed = _feed_for(family_a.user, family_a.family)
    type(family_a.family).objects.filter(pk=family_a.family.pk).update(
        anonymised_at=timezone.now(), left_on=datetime.date.today()
    )
    assert client.get(reverse("calendar_feed", kwargs={"token": feed.token})).status_code == 404


# --- The family's page and the API ------------------------------------------------------------


def test_the_family_creates_then_renews_its_address_and_the_old_one_stops(client_a, family_a):
    page = client_a.get(SETTINGS_URL).content.decode()
    assert "Créer l'adresse de mon agenda" in page
    assert not CalendarFeed.objects.exists()
    response = client_a.post(SETTINGS_URL)
    assert response.status_code == 302
    first = CalendarFeed.objects.get(family=family_a.family).token
    page = client_a.get(SETTINGS_URL).content.decode()
    assert f"/agenda/{first}.ics" in page and "Créer une nouvelle adresse" in page
    client_a.post(SETTINGS_URL, follow=True)
    second = CalendarFeed.objects.get(family=family_a.family).token
    assert second != first
    assert client_a.get(reverse("calendar_feed", kwargs={"token": first})).status_code == 404
    assert client_a.get(reverse("calendar_feed", kwargs={"token": second})).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_the_account_page_links_to_the_agenda_address(client_a):
    page = client_a.get(reverse("espace_prive:families:account")).content.decode()
    assert SETTINGS_URL in page


def test_the_page_needs_a_signed_in_family(client, db):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302 and "connexion" in response["Location"]
    assert client.post(SETTINGS_URL).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_the_api_gives_and_renews_the_address(family_a, family_b):
    api = APIClient()
    api.force_authenticate(family_a.user)
    url = reverse("api:calendar-feed")
    assert api.get(url).json() == {"url": None, "created_at": None}
    created = api.post(url)
    assert created.status_code == 201
    first = created.json()["url"]
    assert first.endswith(".ics") and api.get(url).json()["url"] == first
    renewed = api.post(url).json()["url"]
    assert renewed != first
    client = APIClient()
    assert client.get(urlsplit(first).path).status_code == 404
    assert client.get(urlsplit(renewed).path).status_code == 200
    other = APIClient()
    other.force_authenticate(family_b.user)
    assert other.get(url).json()["url"] is None  # family B never sees A's address


def test_the_family_page_passes_the_no_store_walk_and_cancelled_days_are_not_in_the_feed(
    client_a, family_a, calendar, staff_user
):
    child = family_a.family.children.get()
    enrol(child, calendar)
    day = bookable_days(child, 1)[0]
    booking = services.booking_book(actor=staff_user, child=child, unit=calendar["unit"], day=day)
    services.booking_cancel(actor=staff_user, booking=booking)
    assert Booking.objects.get().state == BookingState.CANCELLED
    feed = _feed_for(family_a.user, family_a.family)
    body = client_a.get(reverse("calendar_feed", kwargs={"token": feed.token})).content.decode()
    assert "BEGIN:VEVENT" not in body
    assert "no-store" in client_a.get(SETTINGS_URL)["Cache-Control"]
