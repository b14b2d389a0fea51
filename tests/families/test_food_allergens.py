"""The 14 allergens on a child's health record: chosen by the family through a request
of the « Allergies et régime alimentaire » section, shown to staff, in the API."""

import html

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from espace_prive.allergens import Allergen, labels, ordered
from espace_prive.demandes import services
from espace_prive.demandes.models import ChangeRequest
from espace_prive.families.models import HealthRecord
from espace_prive.families.sections import SECTIONS, display_current, to_json
from pages.enums import Allergen as PagesAllergen
from tests.factories import make_health_record

pytestmark = pytest.mark.django_db


def _edit_url(child):
    return reverse("espace_prive:families:child_edit", args=[child.public_id, "health_allergies"])


def text(response):
    return html.unescape(response.content.decode())


def test_the_public_site_reads_the_same_allergens():
    assert PagesAllergen is Allergen
    assert len(Allergen.values) == 14


def test_codes_come_once_in_the_regulations_order():
    assert ordered(["milk", "peanuts", "milk", "unknown"]) == ["peanuts", "milk"]
    assert labels(["milk", "gluten"]) == ["Gluten", "Lait"]


def test_the_diff_of_a_list_ignores_order_and_reads_in_french(family_a):
    child = family_a.family.children.get()
    record = make_health_record(child=child, food_allergens=["milk", "peanuts"])
    field = HealthRecord._meta.get_field("food_allergens")
    assert to_json(field, ["milk", "peanuts"]) == to_json(field, ["peanuts", "milk"])
    assert display_current(record, "food_allergens") == "Arachides, Lait"
    record.food_allergens = []
    assert display_current(record, "food_allergens") == "Aucun"


def test_the_family_checks_allergens_and_staff_accept_the_request(
    client_a, family_a, staff_user, staff_client
):
    child = family_a.family.children.get()
    form = text(client_a.get(_edit_url(child)))
    assert 'type="checkbox"' in form and "Arachides" in form and "<legend>" in form
    response = client_a.post(
        _edit_url(child),
        {"food_allergens": ["peanuts", "sesame"], "allergies": "Traces tolérées : non"},
    )
    assert response.status_code == 302
    change_request = ChangeRequest.objects.get()
    change = change_request.changes["food_allergens"]
    assert change["new"] == ["peanuts", "sesame"]
    assert change["new_display"] == "Arachides, Sésame"
    assert not HealthRecord.objects.filter(child=child).exclude(food_allergens=[]).exists()
    services.request_accept(actor=staff_user, change_request=change_request)
    record = HealthRecord.objects.get(child=child)
    assert record.allergen_codes == ["peanuts", "sesame"]
    assert record.has_alert
    page = text(staff_client.get(reverse("families_admin:health", args=[child.public_id])))
    assert "Allergènes alimentaires" in page and "Arachides, Sésame" in page


def test_an_unknown_allergen_is_refused_in_french_and_nothing_is_recorded(client_a, family_a):
    child = family_a.family.children.get()
    response = client_a.post(_edit_url(child), {"food_allergens": ["kiwi"]})
    assert response.status_code == 200 or response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    assert not ChangeRequest.objects.exists()


def test_the_api_takes_a_list_of_codes_and_refuses_anything_else(family_a):
    api = APIClient()
    api.force_authenticate(family_a.user)
    child = family_a.family.children.get()
    body = {"section": "health_allergies", "child": str(child.public_id)}
    wrong = api.post(
        "/api/v1/requests/", {**body, "changes": {"food_allergens": "peanuts"}}, format="json"
    )
    assert wrong.status_code == 400
    assert "liste de codes" in str(wrong.json()["error"])
    unknown = api.post(
        "/api/v1/requests/", {**body, "changes": {"food_allergens": ["kiwi"]}}, format="json"
    )
    assert unknown.status_code == 400
    assert not ChangeRequest.objects.exists()
    response = api.post(
        "/api/v1/requests/", {**body, "changes": {"food_allergens": ["eggs"]}}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert ChangeRequest.objects.get().changes["food_allergens"]["new"] == ["eggs"]
    record = api.get(f"/api/v1/children/{child.public_id}/health-record/").json()
    assert record["food_allergens"] == []


def test_the_section_lists_the_allergens_first():
    assert SECTIONS["health_allergies"].fields[0] == "food_allergens"
