"""Booking a whole holiday session (stage) through the API (issue 11, items 3 and 9):
the sessions of a child with their cost, a preview that stores nothing, the booking
(all days, or all on the waiting list when one is full), the deadline, French 400s
with nothing stored, another family's child 404; the same service as the page."""

import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from espace_prive.bookings import services
from espace_prive.bookings.models import Booking, BookingState
from tests.api.bookings_helpers import enrol, live_session
from tests.api.helpers import api_error

# The shipped absence reasons and school holidays, put back after a transactional test.
from tests.bookings.conftest import _reference_data  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(canteen):
    return live_session(canteen, places=1)


def _body(child, session, **extra):
    period, unit = session
    return {
        "child": str(child.public_id),
        "period": str(period.public_id),
        "unit": str(unit.public_id),
        **extra,
    }


def _sessions(client, child):
    return client.get(reverse("api:child-sessions", kwargs={"public_id": child.public_id}))


def test_the_sessions_of_a_child_say_their_days_and_cost(api_a, family_a, child_a, session):
    period, unit = session
    preview = services.booking_session_preview(
        actor=family_a.user, child=child_a, unit=unit, period=period
    )
    response = _sessions(api_a, child_a)
    assert response.status_code == 200, response.content
    [offer] = response.json()
    assert offer["period"]["public_id"] == str(period.public_id)
    assert offer["period"]["starts_on"] == period.starts_on.isoformat()
    assert offer["unit"]["public_id"] == str(unit.public_id)
    assert offer["can_book"] is True and offer["outcome"] == "reserver"
    assert offer["reason"] == ""
    assert 3 <= offer["days"] == len(preview.to_book)
    assert Decimal(offer["total"]) == preview.total > 0


def test_a_session_is_previewed_without_storing_then_booked_whole_once(api_a, child_a, session):
    url = reverse("api:booking-session")
    preview = api_a.post(url, _body(child_a, session), format="json")
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["confirmed"] is False
    assert {line["outcome"] for line in body["lines"]} == {"reserver"}
    assert not Booking.objects.exists()
    confirmed = api_a.post(url, _body(child_a, session, confirm=True), format="json")
    assert confirmed.status_code == 201, confirmed.content
    booked = confirmed.json()
    assert booked["confirmed"] is True and booked["total"] == body["total"]
    assert all(line["booking"] for line in booked["lines"])
    days = len(body["lines"])
    assert Booking.objects.filter(child=child_a, state=BookingState.BOOKED).count() == days
    again = api_a.post(url, _body(child_a, session, confirm=True), format="json")
    assert again.status_code == 200
    assert {line["reason"] for line in again.json()["lines"]} == {"Déjà réservé."}
    assert Booking.objects.count() == days
    [offer] = _sessions(api_a, child_a).json()
    assert offer["can_book"] is False and offer["outcome"] == "deja"


def test_a_full_session_puts_every_day_on_the_waiting_list(
    api_a, family_b, child_a, canteen, session, staff_user
):
    period, unit = session
    other = family_b.child
    enrol(other, canteen)
    services.booking_session_book(actor=staff_user, child=other, unit=unit, period=period)
    [offer] = _sessions(api_a, child_a).json()
    assert offer["can_book"] is True and offer["outcome"] == "attente"
    response = api_a.post(
        reverse("api:booking-session"), _body(child_a, session, confirm=True), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert {line["outcome"] for line in body["lines"]} == {"attente"}
    assert Decimal(body["total"]) == 0 and Decimal(body["waiting_total"]) > 0
    mine = Booking.objects.filter(child=child_a)
    assert mine.count() == len(body["lines"])
    assert set(mine.values_list("state", flat=True)) == {BookingState.WAITING}


def test_a_session_past_its_deadline_is_refused_in_french_and_nothing_stored(
    api_a, child_a, canteen
):
    late = live_session(canteen, starts_in=1, length=5, name="Stage de demain")
    [offer] = _sessions(api_a, child_a).json()
    assert offer["can_book"] is False and "délai de réservation" in offer["reason"]
    for confirm in (False, True):
        response = api_a.post(
            reverse("api:booking-session"), _body(child_a, late, confirm=confirm), format="json"
        )
        assert response.status_code == 400, response.content
        message = api_error(response)["fields"]["non_field_errors"][0]
        assert "Le délai de réservation de « Stage de demain » est passé" in message
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"period": str(uuid.uuid4())}, "period", "Séjour inconnu"),
        ({"period": "pas-un-uuid"}, "period", "UUID"),
        ({"unit": str(uuid.uuid4())}, "period", "Séjour inconnu"),
        ({"confirm": "peut-être"}, "confirm", "booléen"),
        ({"state": "reservee"}, "state", "Champ inconnu"),
    ],
)
def test_bad_session_input_is_a_french_400_and_nothing_is_stored(
    api_a, child_a, session, change, field, text
):
    body = {**_body(child_a, session, confirm=True), **change}
    response = api_a.post(reverse("api:booking-session"), body, format="json")
    assert response.status_code == 400, response.content
    assert text in api_error(response)["fields"][field][0]
    assert not Booking.objects.exists()


def test_a_period_not_sold_whole_is_not_a_session(api_a, child_a, canteen):
    school_weeks = canteen["service"].booking_periods.get()
    body = {
        "child": str(child_a.public_id),
        "period": str(school_weeks.public_id),
        "unit": str(canteen["unit"].public_id),
        "confirm": True,
    }
    response = api_a.post(reverse("api:booking-session"), body, format="json")
    assert response.status_code == 400
    assert "Séjour inconnu" in api_error(response)["fields"]["period"][0]
    assert not Booking.objects.exists()


def test_another_familys_child_is_404_and_nothing_is_stored(api_b, child_a, session):
    response = api_b.post(
        reverse("api:booking-session"), _body(child_a, session, confirm=True), format="json"
    )
    assert response.status_code == 404
    assert api_error(response)["code"] == "not_found"
    assert child_a.first_name not in response.content.decode()
    listed = _sessions(api_b, child_a)
    assert listed.status_code == 404 and child_a.first_name not in listed.content.decode()
    assert not Booking.objects.exists()


def test_the_page_and_the_api_book_a_session_through_the_same_service(
    api_a, client_a, child_a, session, monkeypatch
):
    calls = []
    book = services.booking_session_book

    def spy(**kwargs):
        calls.append(kwargs)
        return book(**kwargs)

    monkeypatch.setattr(services, "booking_session_book", spy)
    api_a.post(reverse("api:booking-session"), _body(child_a, session, confirm=True), format="json")
    period, unit = session
    client_a.post(
        reverse("espace_prive:bookings:session_book", kwargs={"child_id": child_a.public_id}),
        {"period": str(period.public_id), "unit": str(unit.public_id)},
    )
    assert [(c["child"], c["period"], c["unit"]) for c in calls] == [(child_a, period, unit)] * 2


def test_the_session_routes_are_in_the_schema_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/children/{public_id}/sessions/", "/api/v1/bookings/session/"):
        assert f"  {path}:" in schema, path
    assert "SessionBook" in schema
