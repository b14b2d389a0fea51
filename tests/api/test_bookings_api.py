"""REST API of the agenda and bookings (issue 11, item 9): the same rules as the
services, errors in French in the API's shape, nothing stored on bad input, another
family's objects 404, constant queries on lists and on the agenda. Enrolments and
absences: test_enrolments_api.py, test_absences_api.py."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from espace_prive.bookings import selectors, services
from espace_prive.bookings.models import (
    ActivityUnit,
    Booking,
    BookingState,
    Enrolment,
    ServiceRules,
    UnitCapacity,
)
from tests.api.bookings_helpers import bookable_days, enrol, live_calendar
from tests.api.helpers import api_client, api_error

# The shipped absence reasons and school holidays, put back after a transactional test.
from tests.bookings.conftest import _reference_data  # noqa: F401
from tests.bookings.factories import make_deadline
from tests.factories import make_staff_with_perms
from tests.queries import count_get_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen(db):
    return live_calendar(places=2)


# --- Agenda ----------------------------------------------------------------------------------


def test_the_agenda_gives_each_day_its_state_price_and_what_can_be_done(api_a, child_a, canteen):
    day = bookable_days(child_a, 1)[0]
    url = reverse("api:child-agenda", kwargs={"public_id": child_a.public_id})
    entries = api_a.get(url, {"from": day.isoformat(), "to": day.isoformat()}).json()
    assert len(entries) == 1
    entry = entries[0]
    assert entry["day"] == day.isoformat() and entry["state"] == "disponible"
    assert entry["can_book"] is True and entry["booking"] is None
    assert entry["price"] in ("1.00", "2.50", "4.00", "6.00")
    assert entry["unit"]["public_id"] == str(canteen["unit"].public_id)
    booked = api_a.post(
        reverse("api:booking-list"),
        {"child": str(child_a.public_id), "unit": entry["unit"]["public_id"], "day": entry["day"]},
        format="json",
    ).json()
    entry = api_a.get(url, {"from": day.isoformat(), "to": day.isoformat()}).json()[0]
    assert entry["state"] == "reservee" and entry["state_label"] == "Réservé"
    assert entry["booking"] == booked["public_id"] and entry["can_cancel"] is True


@pytest.mark.parametrize(
    ("params", "field", "text"),
    [
        ({"from": "2027-13-01"}, "from", "Date invalide"),
        ({"from": "demain"}, "from", "AAAA-MM-JJ"),
        ({"from": "2027-01-10", "to": "2027-01-01"}, "to", "précède"),
        ({"from": "2027-01-01", "to": "2027-12-31"}, "to", "au plus 62 jours"),
    ],
)
def test_a_bad_agenda_range_is_a_french_400(api_a, child_a, params, field, text):
    url = reverse("api:child-agenda", kwargs={"public_id": child_a.public_id})
    response = api_a.get(url, params)
    assert response.status_code == 400
    assert text in api_error(response)["fields"][field][0]


def test_the_agenda_costs_the_same_queries_for_1_or_30_days_booked(
    api_a, child_a, canteen, staff_user
):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=50)
    # Open every day of the week: 30 days booked fit in the agenda's 62 days.
    ActivityUnit.objects.filter(pk=canteen["unit"].pk).update(
        on_wednesday=True, on_saturday=True, on_sunday=True
    )
    days = bookable_days(child_a, 30)
    url = reverse("api:child-agenda", kwargs={"public_id": child_a.public_id})
    params = f"?from={days[0].isoformat()}&to={days[-1].isoformat()}"
    services.booking_book(actor=staff_user, child=child_a, unit=canteen["unit"], day=days[0])
    api_a.get(url + params)
    one, body = count_get_json(api_a, url + params)
    assert sum(e["state"] == "reservee" for e in body) == 1
    for day in days[1:]:
        services.booking_book(actor=staff_user, child=child_a, unit=canteen["unit"], day=day)
    thirty, body = count_get_json(api_a, url + params)
    assert sum(e["state"] == "reservee" for e in body) == 30
    assert thirty == one


# --- Bookings --------------------------------------------------------------------------------


def test_a_day_is_booked_once_even_when_sent_twice(api_a, child_a, canteen):
    day = bookable_days(child_a, 1)[0]
    body = {
        "child": str(child_a.public_id),
        "unit": str(canteen["unit"].public_id),
        "day": str(day),
    }
    first = api_a.post(reverse("api:booking-list"), body, format="json")
    assert first.status_code == 201, first.content
    second = api_a.post(reverse("api:booking-list"), body, format="json")
    assert second.status_code == 200
    assert second.json()["public_id"] == first.json()["public_id"]
    assert Booking.objects.count() == 1
    detail = api_a.get(
        reverse("api:booking-detail", kwargs={"public_id": first.json()["public_id"]})
    )
    assert detail.json()["state"] == "reservee" and detail.json()["child_first_name"]


def test_a_full_day_goes_to_the_waiting_list(api_a, child_a, canteen, staff_user):
    day = bookable_days(child_a, 1)[0]
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=0)
    body = {
        "child": str(child_a.public_id),
        "unit": str(canteen["unit"].public_id),
        "day": str(day),
    }
    response = api_a.post(reverse("api:booking-list"), body, format="json")
    assert response.status_code == 201
    assert response.json()["state"] == "liste_attente"


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"day": "2027-02-30"}, "day", "Date invalide"),
        ({"day": "11/01/2027"}, "day", "AAAA-MM-JJ"),
        ({"unit": str(uuid.uuid4())}, "unit", "Activité inconnue"),
        ({"state": "reservee"}, "state", "Champ inconnu"),
    ],
)
def test_bad_booking_input_is_a_french_400_and_nothing_is_stored(
    api_a, child_a, canteen, change, field, text
):
    body = {
        "child": str(child_a.public_id),
        "unit": str(canteen["unit"].public_id),
        "day": str(bookable_days(child_a, 1)[0]),
        **change,
    }
    response = api_a.post(reverse("api:booking-list"), body, format="json")
    assert response.status_code == 400
    assert text in api_error(response)["fields"][field][0]
    assert not Booking.objects.exists()


def _first_day(child, start, test):
    """The first agenda entry of ``child`` from ``start`` (within 120 days) passing ``test``:
    the cases below must not depend on today being a school day."""
    entries = selectors.agenda_for_child(child, start, start + datetime.timedelta(days=120))
    return next(entry.day for entry in entries if test(entry))


def test_the_services_refusals_reach_the_api_in_french(api_a, family_a, child_a, canteen):
    unit = str(canteen["unit"].public_id)
    today = timezone.localdate()

    def refused(day, text):
        response = api_a.post(
            reverse("api:booking-list"),
            {"child": str(child_a.public_id), "unit": unit, "day": str(day)},
            format="json",
        )
        assert response.status_code == 400, (day, response.content)
        assert text in api_error(response)["fields"]["non_field_errors"][0], day

    refused(canteen["year"].ends_on + datetime.timedelta(days=7), "en dehors de l'année scolaire")
    # A Saturday neither in the holidays nor a public holiday (these say so first).
    saturday = _first_day(
        child_a, today + datetime.timedelta(days=7), lambda e: "le samedi" in e.reason
    )
    refused(saturday, "Pas de « Repas » le samedi")
    # Booking until 90 days before: the next day the canteen serves lunch (in a few days,
    # or after the holidays) is past its deadline, whatever today is.
    ServiceRules.objects.filter(service=canteen["service"]).update(
        booking_deadline=make_deadline(days=90)
    )
    refused(_first_day(child_a, today, lambda e: e.state == "delai_passe"),
            "Délai de réservation passé")  # fmt: skip
    other_child = family_a.family.children.create(
        first_name="Sans", last_name="Inscription", birth_date=datetime.date(2016, 1, 1)
    )
    response = api_a.post(
        reverse("api:booking-list"),
        {"child": str(other_child.public_id), "unit": unit, "day": str(today)},
        format="json",
    )
    assert (
        "faites d'abord une demande d'inscription"
        in response.json()["error"]["fields"]["non_field_errors"][0]
    )
    assert not Booking.objects.exists()


def test_a_booking_is_cancelled_and_the_first_waiting_child_gets_the_place(
    api_a, child_a, canteen, family_b, staff_user
):
    day = bookable_days(child_a, 1)[0]
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=1)
    mine = services.booking_book(actor=staff_user, child=child_a, unit=canteen["unit"], day=day)
    other = family_b.child
    enrol(other, canteen)
    waiting = services.booking_book(actor=staff_user, child=other, unit=canteen["unit"], day=day)
    assert waiting.state == BookingState.WAITING
    url = reverse("api:booking-cancel", kwargs={"public_id": mine.public_id})
    response = api_a.post(url)
    assert response.status_code == 200 and response.json()["state"] == "annulee"
    waiting.refresh_from_db()
    assert waiting.state == BookingState.BOOKED
    assert api_a.post(url).json()["state"] == "annulee"  # twice: still one cancellation


def test_cancelling_past_the_deadline_is_refused_in_french(api_a, family_a, staff_user):
    calendar = live_calendar(cancel_days=60)
    child = family_a.child
    enrol(child, calendar)
    day = bookable_days(child, 1)[0]
    booking = services.booking_book(actor=staff_user, child=child, unit=calendar["unit"], day=day)
    response = api_a.post(reverse("api:booking-cancel", kwargs={"public_id": booking.public_id}))
    assert response.status_code == 400
    assert "déclarer une absence" in api_error(response)["fields"]["non_field_errors"][0]
    booking.refresh_from_db()
    assert booking.state == BookingState.BOOKED


def test_a_pattern_is_previewed_without_storing_then_confirmed(api_a, child_a, canteen):
    start = bookable_days(child_a, 1)[0]
    end = start + datetime.timedelta(days=27)
    body = {
        "child": str(child_a.public_id),
        "units": [str(canteen["unit"].public_id)],
        "weekdays": [0, 3],
        "start": str(start),
        "end": str(end),
    }
    url = reverse("api:booking-pattern")
    preview = api_a.post(url, body, format="json")
    assert preview.status_code == 200, preview.content
    data = preview.json()
    assert data["confirmed"] is False and not Booking.objects.exists()
    to_book = [line for line in data["lines"] if line["outcome"] == "reserver"]
    assert to_book and all(line["booking"] is None for line in data["lines"])
    assert {datetime.date.fromisoformat(line["day"]).weekday() for line in data["lines"]} <= {0, 3}
    total = sum(float(line["price"]) for line in to_book)
    assert float(data["total"]) == pytest.approx(total)
    confirmed = api_a.post(url, {**body, "confirm": True}, format="json")
    assert confirmed.status_code == 201, confirmed.content
    result = confirmed.json()
    assert result["confirmed"] is True and result["total"] == data["total"]
    assert Booking.objects.filter(state=BookingState.BOOKED).count() == len(to_book)
    booked = {line["booking"] for line in result["lines"] if line["outcome"] == "reserver"}
    assert booked == {str(b.public_id) for b in Booking.objects.all()}
    again = api_a.post(url, {**body, "confirm": True}, format="json").json()
    assert not [line for line in again["lines"] if line["outcome"] == "reserver"]
    assert Booking.objects.count() == len(to_book)


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"end": "2040-01-01"}, "end", "au plus une année scolaire"),
        ({"weekdays": []}, "weekdays", "au moins un jour"),
        ({"weekdays": [9]}, "weekdays", "au moins un jour"),
        ({"units": []}, "units", "au moins une activité"),
        ({"start": "2027-1-5"}, "start", "Date invalide"),
        ({"units": [str(uuid.uuid4())]}, "units", "Activité inconnue"),
    ],
)
def test_a_bad_pattern_is_a_french_400_and_nothing_is_stored(
    api_a, child_a, canteen, change, field, text
):
    start = bookable_days(child_a, 1)[0]
    body = {
        "child": str(child_a.public_id),
        "units": [str(canteen["unit"].public_id)],
        "weekdays": [0, 3],
        "start": str(start),
        "end": str(start + datetime.timedelta(days=20)),
        "confirm": True,
        **change,
    }
    response = api_a.post(reverse("api:booking-pattern"), body, format="json")
    assert response.status_code == 400, response.content
    assert text in api_error(response)["fields"][field][0]
    assert not Booking.objects.exists()


def test_the_bookings_list_is_filtered_by_dates_and_costs_constant_queries(
    api_a, child_a, canteen, staff_user
):
    UnitCapacity.objects.filter(unit=canteen["unit"]).update(places=50)
    days = bookable_days(child_a, 30)
    services.booking_book(actor=staff_user, child=child_a, unit=canteen["unit"], day=days[0])
    url = reverse("api:booking-list")
    api_a.get(url)
    one, body = count_get_json(api_a, url)
    assert body["count"] == 1
    for day in days[1:]:
        services.booking_book(actor=staff_user, child=child_a, unit=canteen["unit"], day=day)
    thirty, body = count_get_json(api_a, url)
    assert body["count"] == 30 and thirty == one
    window = api_a.get(url, {"from": str(days[5]), "to": str(days[9])}).json()
    assert [b["day"] for b in window["results"]] == [str(d) for d in days[5:10]]
    assert api_a.get(url, {"from": "hier"}).status_code == 400


# --- Another family, the schema --------------------------------------------------------------


def test_another_familys_child_in_a_body_is_404_and_nothing_is_stored(
    api_b, family_a, child_a, canteen
):
    secret = child_a.first_name
    day = str(bookable_days(child_a, 1)[0])
    child = str(child_a.public_id)
    unit = str(canteen["unit"].public_id)
    for url, body in [
        (reverse("api:booking-list"), {"child": child, "unit": unit, "day": day}),
        (
            reverse("api:booking-pattern"),
            {"child": child, "units": [unit], "weekdays": [0], "start": day, "end": day},
        ),
        (
            reverse("api:absence-list"),
            {"child": child, "reason": "maladie", "first_day": day, "last_day": day},
        ),
        (
            reverse("api:enrolment-list"),
            {
                "child": child,
                "service": str(canteen["service"].public_id),
                "site": str(canteen["site"].public_id),
                "school_year": str(canteen["year"].public_id),
            },
        ),
    ]:
        response = api_b.post(url, body, format="json")
        assert response.status_code == 404, (url, response.content)
        assert api_error(response)["code"] == "not_found"
        assert secret not in response.content.decode()
    response = api_b.get(reverse("api:child-agenda", kwargs={"public_id": child_a.public_id}))
    assert response.status_code == 404
    assert not Booking.objects.exists() and Enrolment.objects.count() == 1
    assert api_b.get(reverse("api:booking-list")).json()["count"] == 0
    assert api_b.get(reverse("api:enrolment-list")).json() == []


def test_staff_without_a_family_are_refused(canteen):
    staff = make_staff_with_perms("bookings.book_for_family")
    response = api_client(staff).get(reverse("api:booking-list"))
    assert response.status_code == 403
    assert api_error(response)["message"] == "Aucun dossier famille n'est rattaché à ce compte."


def test_the_bookings_routes_are_in_the_schema_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in (
        "/api/v1/enrolment-options/",
        "/api/v1/enrolments/",
        "/api/v1/enrolments/{public_id}/",
        "/api/v1/enrolments/{public_id}/withdraw/",
        "/api/v1/children/{public_id}/agenda/",
        "/api/v1/bookings/",
        "/api/v1/bookings/{public_id}/",
        "/api/v1/bookings/{public_id}/cancel/",
        "/api/v1/bookings/pattern/",
        "/api/v1/absence-reasons/",
        "/api/v1/absences/",
        "/api/v1/absences/{public_id}/",
        "/api/v1/absences/{public_id}/certificate/",
    ):
        assert f"  {path}:" in schema, path
    assert "BookingStateEnum" in schema and "EnrolmentStateEnum" in schema
