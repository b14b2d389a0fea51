"""The staff register API: GET the day's registers of a site, POST one tap; other
site → 404, no health data without the permission, French 400 on bad input."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from espace_prive.attendance.models import Mark, Register
from espace_prive.families.models import HealthAccessLog
from tests.attendance.factories import book, every_day_calendar, make_animator
from tests.conftest import sign_in
from tests.factories import (
    make_child,
    make_family_with_login,
    make_health_record,
    make_pickup_person,
    make_site,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    return every_day_calendar()


def _url(site, day=None):
    day = day or timezone.localdate()
    return reverse("api:staff-day-register", args=[site.public_id, day.isoformat()])


def _client(user):
    return sign_in(APIClient(), user)


def test_get_register_and_tap_a_departure(calendar):
    child = make_child(first_name="Léa", last_name="Martin", may_leave_alone=False)
    book(child, calendar)
    person = make_pickup_person(child=child, first_name="Mamie", last_name="Martin")
    make_health_record(child=child, has_pai=True, pai_details="Arachides")
    client = _client(make_animator(calendar["site"]))
    body = client.get(_url(calendar["site"])).json()
    (register,) = body["registers"]
    (entry,) = register["children"]
    assert entry["first_name"] == "Léa" and entry["booked"] and entry["mark"] is None
    assert entry["health"] is None  # no health permission
    assert not HealthAccessLog.objects.exists()
    who = next(p["id"] for p in entry["pickups"] if p["name"] == "Mamie Martin")
    assert who == f"personne:{person.public_id}"
    unit = str(calendar["unit"].public_id)
    tap = {"unit": unit, "child": str(child.public_id), "action": "present", "at": "08:00"}
    response = client.post(_url(calendar["site"]), tap, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["label"] == "Présent depuis 08:00"
    depart = {**tap, "action": "depart", "at": "08:30", "who": who}
    response = client.post(_url(calendar["site"]), depart, format="json")
    assert response.json()["label"] == "Parti à 08:30 avec Mamie Martin"


def test_health_alerts_with_the_permission_are_logged(calendar):
    child = make_child()
    book(child, calendar)
    make_health_record(child=child, has_pai=True, pai_details="Arachides")
    agent = make_animator(calendar["site"], health=True)
    body = _client(agent).get(_url(calendar["site"])).json()
    assert body["registers"][0]["children"][0]["health"]["pai_details"] == "Arachides"
    assert HealthAccessLog.objects.get().context == "liste_du_jour"


def test_other_site_is_404_for_read_and_write(calendar):
    child = make_child()
    book(child, calendar)
    client = _client(make_animator(make_site()))
    assert client.get(_url(calendar["site"])).status_code == 404
    tap = {"unit": str(calendar["unit"].public_id), "child": str(child.public_id)}
    response = client.post(_url(calendar["site"]), {**tap, "action": "present"}, format="json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert not Register.objects.exists()


def test_family_gets_nothing(calendar):
    _family, user = make_family_with_login()
    response = sign_in(APIClient(), user).get(_url(calendar["site"]))
    assert response.status_code == 403
    assert "Réservé aux agents" in response.json()["error"]["message"]


def test_bad_taps_are_french_400_and_change_nothing(calendar):
    child = make_child()
    book(child, calendar)
    client = _client(make_animator(calendar["site"]))
    site = calendar["site"]
    unit = str(calendar["unit"].public_id)
    stranger = make_child(first_name="Zoé")
    cases = [
        ({"unit": unit, "child": str(stranger.public_id), "action": "present"}, "child"),
        ({"unit": unit, "child": str(child.public_id), "action": "danser"}, "action"),
        ({"unit": unit, "child": str(child.public_id), "action": "present", "at": "9h"}, "at"),
        ({"unit": unit, "child": str(child.public_id), "action": "depart", "who": "seul"}, "child"),
        ({"unit": str(site.public_id), "child": str(child.public_id), "action": "present"}, "unit"),
        ({"unit": unit, "child": str(child.public_id), "action": "present", "x": 1}, "x"),
    ]
    for body, field in cases:
        response = client.post(_url(site), body, format="json")
        assert response.status_code == 400, (body, response.json())
        assert field in response.json()["error"]["fields"], (body, response.json())
    assert not Mark.objects.exists()


def test_register_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    path = "/api/v1/staff/sites/{site_id}/days/{day}/register/"
    assert set(schema["paths"][path]) >= {"get", "post"}
