"""REST API of absences (issue 11, item 9): declared with a certificate, days still
cancellable cancelled instead, hostile certificates refused, another family's absence
404, constant queries on the lists."""

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from espace_prive.bookings import services
from espace_prive.bookings.models import (
    AbsenceDeclaration,
    Booking,
    BookingState,
)
from tests.api.bookings_helpers import bookable_days, enrol, live_calendar
from tests.api.helpers import api_error

# The shipped absence reasons and school holidays, put back after a transactional test.
from tests.bookings.conftest import _reference_data  # noqa: F401
from tests.factories import MINIMAL_PDF, uploaded
from tests.pdfs import HOSTILE_PDFS
from tests.queries import count_get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen(db):
    return live_calendar(places=2)


# --- Absences --------------------------------------------------------------------------------


@pytest.fixture
def absent_calendar(family_a, staff_user):
    """Cancelling closes 60 days ahead: a booked day is declared absent, not cancelled."""
    calendar = live_calendar(cancel_days=60)
    child = family_a.child
    enrol(child, calendar)
    days = bookable_days(child, 3)
    for day in days:
        services.booking_book(actor=staff_user, child=child, unit=calendar["unit"], day=day)
    return calendar, child, days


def _absence(child, first_day, last_day=None, *, reason="maladie", **extra):
    """The body of an absence declared through the API (one day unless ``last_day``)."""
    return {
        "child": str(child.public_id),
        "reason": reason,
        "first_day": str(first_day),
        "last_day": str(last_day or first_day),
        **extra,
    }


def _pdf(data=MINIMAL_PDF, name="c.pdf"):
    return uploaded(data, name=name, content_type="application/pdf")


def test_an_absence_is_declared_with_a_certificate_and_listed(api_a, absent_calendar):
    _calendar, child, days = absent_calendar
    response = api_a.post(
        reverse("api:absence-list"),
        _absence(child, days[0], days[1], certificate=_pdf(name="certificat.pdf")),
        format="multipart",
    )
    assert response.status_code == 201, response.content
    absence = response.json()["absence"]
    assert [d["day"] for d in absence["days"]] == [str(days[0]), str(days[1])]
    assert absence["reason"] == "maladie" and absence["certificate"]
    assert response.json()["cancelled"] == []
    listed = api_a.get(reverse("api:absence-list")).json()["results"]
    assert [a["public_id"] for a in listed] == [absence["public_id"]]
    file = api_a.get(reverse("api:absence-certificate", kwargs={"public_id": absence["public_id"]}))
    assert file.status_code == 200
    assert b"".join(file.streaming_content).startswith(b"%PDF")
    agenda = api_a.get(
        reverse("api:child-agenda", kwargs={"public_id": child.public_id}),
        {"from": str(days[0]), "to": str(days[0])},
    ).json()
    assert agenda[0]["state"] == "absent"


def test_days_still_cancellable_are_cancelled_instead(api_a, family_a, canteen, staff_user):
    child = family_a.child
    enrol(child, canteen)
    day = bookable_days(child, 1)[0]
    services.booking_book(actor=staff_user, child=child, unit=canteen["unit"], day=day)
    response = api_a.post(
        reverse("api:absence-list"),
        _absence(child, day, reason="convenance-personnelle"),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["absence"] is None
    assert [b["state"] for b in response.json()["cancelled"]] == ["annulee"]
    assert not AbsenceDeclaration.objects.exists()


@pytest.mark.parametrize("kind", ["javascript", "not_a_pdf"])
def test_a_bad_certificate_or_bad_input_stores_nothing(api_a, absent_calendar, kind):
    _calendar, child, days = absent_calendar
    if kind == "javascript":
        make, _text = HOSTILE_PDFS["javascript"]
        certificate = _pdf(make())
    else:
        certificate = _pdf(b"MZ\x90\x00 not a pdf")
    before = set(storages["private"].listdir("")[0]) if storages["private"].exists("") else set()
    response = api_a.post(
        reverse("api:absence-list"),
        _absence(child, days[0], certificate=certificate),
        format="multipart",
    )
    assert response.status_code == 400
    assert api_error(response)["fields"]
    assert not AbsenceDeclaration.objects.exists()
    assert Booking.objects.filter(state=BookingState.BOOKED).count() == 3
    after = set(storages["private"].listdir("")[0]) if storages["private"].exists("") else set()
    assert after == before


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"reason": "inconnu"}, "reason", "Motif d'absence inconnu"),
        ({"reason": "autre"}, "details", "Précisez le motif"),
        ({"last_day": "2020-01-01"}, "last_day", "précède le premier"),
        ({"first_day": "lundi"}, "first_day", "Date invalide"),
    ],
)
def test_bad_absence_input_is_a_french_400(api_a, absent_calendar, change, field, text):
    _calendar, child, days = absent_calendar
    body = {
        "child": str(child.public_id),
        "reason": "maladie",
        "first_day": str(days[0]),
        "last_day": str(days[1]),
        **change,
    }
    response = api_a.post(reverse("api:absence-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert text in api_error(response)["fields"][field][0]
    assert not AbsenceDeclaration.objects.exists()


def test_the_absence_reasons_say_what_is_billed(api_a):
    reasons = {r["code"]: r for r in api_a.get(reverse("api:absence-reason-list")).json()}
    assert reasons["autre"]["requires_details"] is True
    assert "maladie" in reasons and "billable" in reasons["maladie"]


def test_absence_lists_cost_the_same_queries_for_1_and_3_absences(api_a, absent_calendar):
    _calendar, child, days = absent_calendar
    url = reverse("api:absence-list")
    for index, day in enumerate(days):
        api_a.post(url, _absence(child, day), format="json")
        if index == 0:
            api_a.get(url)
            one, _body = count_get_json(api_a, url)
    three, body = count_get_json(api_a, url)
    assert body["count"] == 3 and three == one
    enrolments = reverse("api:enrolment-list")
    assert count_get_json(api_a, enrolments)[0] <= 4


def test_a_certificate_is_sent_afterwards_and_checked(api_a, absent_calendar):
    _calendar, child, days = absent_calendar
    created = api_a.post(
        reverse("api:absence-list"), _absence(child, days[0]), format="json"
    ).json()["absence"]
    assert created["certificate"] is None
    url = reverse("api:absence-certificate", kwargs={"public_id": created["public_id"]})
    assert api_a.get(url).status_code == 404  # no certificate yet
    make, _text = HOSTILE_PDFS["javascript"]
    refused = api_a.post(
        url,
        {"certificate": _pdf(make())},
        format="multipart",
    )
    assert refused.status_code == 400 and "éléments actifs" in str(api_error(refused)["fields"])
    assert not AbsenceDeclaration.objects.get().certificate
    sent = api_a.post(
        url,
        {"certificate": _pdf()},
        format="multipart",
    )
    assert sent.status_code == 200 and sent.json()["certificate"]
    assert api_a.get(url).status_code == 200


def test_another_familys_absence_certificate_cannot_be_replaced(api_b, absent_calendar, api_a):
    _calendar, child, days = absent_calendar
    created = api_a.post(
        reverse("api:absence-list"), _absence(child, days[0]), format="json"
    ).json()["absence"]
    url = reverse("api:absence-certificate", kwargs={"public_id": created["public_id"]})
    response = api_b.post(
        url,
        {"certificate": _pdf()},
        format="multipart",
    )
    assert response.status_code == 404 and api_error(response)["code"] == "not_found"
    assert not AbsenceDeclaration.objects.get().certificate
