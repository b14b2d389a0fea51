"""REST API of enrolments (issue 11, item 9): options, request, read, withdraw; bad
input is a French 400 and stores nothing."""

import uuid

import pytest
from django.urls import reverse

from espace_prive.bookings.models import Enrolment
from tests.api.bookings_helpers import live_calendar
from tests.api.helpers import api_error

# The shipped absence reasons and school holidays, put back after a transactional test.
from tests.bookings.conftest import _reference_data  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen(db):
    return live_calendar(places=2)


# --- Enrolments ------------------------------------------------------------------------------


def test_the_options_list_what_a_child_may_be_enrolled_in(api_a, canteen):
    options = api_a.get(reverse("api:enrolment-options")).json()
    option = next(
        o for o in options if o["service"]["public_id"] == str(canteen["service"].public_id)
    )
    assert option["school_year"]["public_id"] == str(canteen["year"].public_id)
    assert [s["public_id"] for s in option["sites"]] == [str(canteen["site"].public_id)]


def test_an_enrolment_is_requested_listed_read_and_withdrawn(api_a, family_a, canteen):
    child = family_a.child
    body = {
        "child": str(child.public_id),
        "service": str(canteen["service"].public_id),
        "site": str(canteen["site"].public_id),
        "school_year": str(canteen["year"].public_id),
        "notes": "Le lundi et le jeudi",
    }
    response = api_a.post(reverse("api:enrolment-list"), body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "en_attente" and created["missing_documents"] == []
    assert created["state_label"] == "En attente de validation"
    listed = api_a.get(reverse("api:enrolment-list")).json()
    assert [e["public_id"] for e in listed] == [created["public_id"]]
    url = reverse("api:enrolment-detail", kwargs={"public_id": created["public_id"]})
    assert api_a.get(url).json()["notes"] == "Le lundi et le jeudi"
    again = api_a.post(reverse("api:enrolment-list"), body, format="json")
    assert again.status_code == 400
    assert "déjà inscrit" in api_error(again)["fields"]["service"][0]
    withdraw = reverse("api:enrolment-withdraw", kwargs={"public_id": created["public_id"]})
    assert api_a.post(withdraw).json()["state"] == "annulee"
    twice = api_a.post(withdraw)
    assert twice.status_code == 400
    assert "déjà été traitée" in api_error(twice)["fields"]["non_field_errors"][0]
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"service": str(uuid.uuid4())}, "service", "Service inconnu."),
        ({"site": "pas-un-uuid"}, "site", "UUID"),
        ({"school_year": str(uuid.uuid4())}, "school_year", "Année scolaire inconnue."),
        ({"state": "acceptee"}, "state", "Champ inconnu"),
    ],
)
def test_a_bad_enrolment_request_is_a_french_400_and_nothing_is_stored(
    api_a, family_a, canteen, change, field, text
):
    body = {
        "child": str(family_a.child.public_id),
        "service": str(canteen["service"].public_id),
        "site": str(canteen["site"].public_id),
        "school_year": str(canteen["year"].public_id),
        **change,
    }
    response = api_a.post(reverse("api:enrolment-list"), body, format="json")
    assert response.status_code == 400
    assert text in " ".join(api_error(response)["fields"][field])
    assert not Enrolment.objects.exists()


def test_a_site_the_service_does_not_offer_is_refused_by_the_service(api_a, family_a, canteen):
    from tests.factories import make_site

    other = make_site(name="École lointaine")
    body = {
        "child": str(family_a.child.public_id),
        "service": str(canteen["service"].public_id),
        "site": str(other.public_id),
        "school_year": str(canteen["year"].public_id),
    }
    response = api_a.post(reverse("api:enrolment-list"), body, format="json")
    assert response.status_code == 400
    assert "n'est pas proposé à École lointaine" in api_error(response)["fields"]["site"][0]
    assert not Enrolment.objects.exists()
