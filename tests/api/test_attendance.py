"""The staff register API: GET the day's registers of a site, POST one tap; other
site → 404, no health data without the permission, French 400 on bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from espace_prive.attendance.models import Mark, Register, RegisterAction, RegisterEvent
from espace_prive.families.models import HealthAccessLog
from tests.attendance.factories import book, every_day_calendar, make_animator
from tests.conftest import sign_in
from tests.factories import (
    make_child,
    make_family_with_login,
    make_health_record,
    make_pickup_person,
    make_site,
    make_staff_with_perms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evening(monkeypatch):
    from tests.attendance.factories import evening_clock

    evening_clock(monkeypatch)


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
    waiting = make_child(first_name="Noé", last_name="Attente")
    book(waiting, calendar, state="liste_attente")
    client = _client(make_animator(calendar["site"]))
    body = client.get(_url(calendar["site"])).json()
    (register,) = body["registers"]
    (entry,) = register["children"]
    assert [w["first_name"] for w in register["waiting"]] == ["Noé"]
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
    for action in ("close", "reopen"):
        operation = schema["paths"][path.replace("register/", f"register/{action}/")]["post"]
        assert {"200", "400", "404"} <= set(operation["responses"])


def _action_url(site, action, day=None):
    day = day or timezone.localdate()
    name = f"api:staff-day-register-{action}"
    return reverse(name, args=[site.public_id, day.isoformat()])


def _manager():
    return make_staff_with_perms(
        "attendance.view_register", "attendance.reopen_register", "attendance.all_sites"
    )


def test_close_then_reopen_with_a_reason_audited(calendar):
    child = make_child()
    book(child, calendar)
    site, unit = calendar["site"], str(calendar["unit"].public_id)
    agent = _client(make_animator(site))
    response = agent.post(_action_url(site, "close"), {"unit": unit}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "clos" and response.json()["closed_at"]
    tap = {"unit": unit, "child": str(child.public_id), "action": "present"}
    refused = agent.post(_url(site), tap, format="json")
    assert refused.status_code == 400
    assert "clos" in refused.json()["error"]["fields"]["register"][0]
    again = agent.post(_action_url(site, "close"), {"unit": unit}, format="json")
    assert again.status_code == 400 and "rien n'a été modifié" in str(again.json())
    assert RegisterEvent.objects.count() == 1 and not Mark.objects.exists()
    # An animator may close, never reopen: 403 in French, the register stays closed.
    response = agent.post(_action_url(site, "reopen"), {"unit": unit, "reason": "x"}, format="json")
    assert response.status_code == 403
    assert "rouvrir" in response.json()["error"]["message"]
    manager = _client(_manager())
    blank = {"unit": unit, "reason": " "}
    response = manager.post(_action_url(site, "reopen"), blank, format="json")
    assert response.status_code == 400
    assert "pourquoi" in response.json()["error"]["fields"]["reason"][0]
    assert Register.objects.get().is_closed
    body = {"unit": unit, "reason": "Oubli d'un enfant"}
    response = manager.post(_action_url(site, "reopen"), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "ouvert" and response.json()["closed_at"] is None
    event = RegisterEvent.objects.get(action=RegisterAction.REOPENED)
    assert event.reason == "Oubli d'un enfant"
    response = manager.post(_action_url(site, "reopen"), body, format="json")
    assert response.status_code == 400 and "déjà ouvert" in str(response.json())
    assert agent.post(_url(site), tap, format="json").status_code == 200


def test_close_and_reopen_of_another_site_are_404(calendar):
    site, unit = calendar["site"], str(calendar["unit"].public_id)
    stranger = _client(make_animator(make_site()))
    response = stranger.post(_action_url(site, "close"), {"unit": unit}, format="json")
    assert response.status_code == 404
    assert not Register.objects.exists()
    _client(make_animator(site)).post(_action_url(site, "close"), {"unit": unit}, format="json")
    # A responsible with the reopen right but not of this site (no all-sites right): 404.
    other = make_staff_with_perms("attendance.view_register", "attendance.reopen_register")
    body = {"unit": unit, "reason": "Oubli"}
    assert _client(other).post(_action_url(site, "reopen"), body, format="json").status_code == 404
    assert Register.objects.get().is_closed


def test_close_and_reopen_bad_input_is_french_400(calendar):
    site = calendar["site"]
    agent = _client(make_animator(site))
    manager = _client(_manager())
    unit = str(calendar["unit"].public_id)
    cases = [
        (agent, "close", {"unit": str(site.public_id)}, "unit"),
        (agent, "close", {}, "unit"),
        (agent, "close", {"unit": str(calendar["unit"].public_id), "x": 1}, "x"),
        (manager, "reopen", {"unit": unit, "reason": "Oubli"}, "register"),
    ]
    for client, action, body, field in cases:
        response = client.post(_action_url(site, action), body, format="json")
        assert response.status_code == 400, (action, body, response.json())
        assert field in response.json()["error"]["fields"], (action, body, response.json())
    future = timezone.localdate() + datetime.timedelta(days=1)
    body = {"unit": str(calendar["unit"].public_id)}
    response = agent.post(_action_url(site, "close", future), body, format="json")
    assert response.status_code == 400 and "jour à venir" in str(response.json())
    assert not Register.objects.exists()


def test_a_family_cannot_close(calendar):
    _family, user = make_family_with_login()
    body = {"unit": str(calendar["unit"].public_id)}
    response = sign_in(APIClient(), user).post(_action_url(calendar["site"], "close"), body)
    assert response.status_code == 403
    assert not Register.objects.exists()


def test_register_of_150_children_in_constant_queries(calendar):
    """Acceptance: the register of a site with 150 children costs the same queries as
    with one, health alerts (logged), pick-up persons, marks and the waiting list included."""
    from tests.attendance.factories import booked_children
    from tests.queries import count_get_json

    site, unit = calendar["site"], calendar["unit"]
    agent = make_animator(site, health=True)
    client = _client(agent)
    first = booked_children(calendar, 1)
    make_health_record(child=first[0], allergies="Arachides")
    make_pickup_person(child=first[0])
    url = _url(site)
    client.get(url)  # warm caches (permissions, site settings)
    tap = {"unit": str(unit.public_id), "child": str(first[0].public_id), "action": "present"}
    assert client.post(url, tap, format="json").status_code == 200
    one, _body = count_get_json(client, url)
    others = booked_children(calendar, 149)
    for child in others[::10]:
        make_health_record(child=child, has_pai=True)
        make_pickup_person(child=child)
    for child in others[::7]:
        tap = {**tap, "child": str(child.public_id)}
        assert client.post(url, tap, format="json").status_code == 200
    many, body = count_get_json(client, url)
    assert many == one
    (register,) = body["registers"]
    assert len(register["children"]) == 150
    assert sum(1 for entry in register["children"] if entry["mark"]) == 1 + len(others[::7])
    assert sum(1 for entry in register["children"] if entry["health"]) == 1 + len(others[::10])
