"""REST API of the family file: same rules as the pages, JSON errors in French."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from espace_prive.demandes import services
from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.families.models import Family
from tests.api.helpers import api_client, api_error
from tests.factories import (
    image_bytes,
    make_change_request,
    make_health_record,
    make_pickup_person,
    uploaded,
)
from tests.queries import count_get_json

pytestmark = pytest.mark.django_db


def test_anonymous_and_family_less_users_are_refused(client, staff_user):
    response = APIClient().get("/api/v1/family/")
    assert response.status_code == 401  # not signed in: the token scheme is announced
    response = api_client(staff_user).get("/api/v1/children/")
    assert response.status_code == 403
    assert api_error(response)["message"] == "Aucun dossier famille n'est rattaché à ce compte."


def test_the_family_reads_its_file(api_a, family_a):
    family = family_a.family
    child = family.children.get()
    make_health_record(child=child, allergies="Arachide", has_pai=True)
    data = api_a.get("/api/v1/family/").json()
    assert data["reference"] == family.reference
    assert "id" not in data
    guardians = api_a.get("/api/v1/guardians/").json()
    assert [g["email"] for g in guardians] == ["alice@example.test"]
    children = api_a.get("/api/v1/children/").json()
    assert [c["public_id"] for c in children] == [str(child.public_id)]
    record = api_a.get(f"/api/v1/children/{child.public_id}/health-record/").json()
    assert record["allergies"] == "Arachide" and record["has_pai"] is True
    assert api_a.get(f"/api/v1/children/{child.public_id}/pickup-persons/").json() == []


def test_a_change_is_proposed_as_a_request_with_its_diff(api_a, family_a):
    guardian = family_a.guardian
    response = api_a.post(
        "/api/v1/requests/",
        {
            "section": "guardian_phones",
            "guardian": str(guardian.public_id),
            "changes": {"mobile_phone": "06 11 22 33 44"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["state"] == "en_attente"
    assert data["changes"] == [
        {
            "field": "mobile_phone",
            "label": "Téléphone portable",
            "old": "Non renseigné",
            "new": "06 11 22 33 44",
        }
    ]
    guardian.refresh_from_db()
    assert guardian.mobile_phone == ""
    listed = api_a.get("/api/v1/requests/").json()
    assert [r["public_id"] for r in listed["results"]] == [data["public_id"]]
    detail = api_a.get(f"/api/v1/requests/{data['public_id']}/").json()
    assert detail["title"] == "Téléphones"


def test_unknown_fields_are_refused_in_french(api_a, family_a):
    response = api_a.post(
        "/api/v1/requests/",
        {"section": "family_address", "changes": {"city": "Belval"}, "state": "acceptee"},
        format="json",
    )
    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "invalid"
    assert error["fields"] == {"state": ["Champ inconnu : il ne peut pas être envoyé ici."]}
    response = api_a.post(
        "/api/v1/requests/",
        {"section": "family_address", "changes": {"city": "Belval", "couleur": "bleu"}},
        format="json",
    )
    assert api_error(response)["fields"]["changes"] == {
        "couleur": ["Champ inconnu pour la rubrique « Adresse du foyer »."]
    }
    response = api_a.post("/api/v1/requests/", {"section": "telepathie"}, format="json")
    assert "section" in api_error(response)["fields"]
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("section", "changes"),
    [
        ("family_address", {"reference": "PIRATE"}),
        ("family_caf", {"qf_valid_from": "2020-01-01", "qf_valid_to": "2099-12-31"}),
        ("family_bank", {"sepa_mandate_reference": "X"}),
        ("family_address", {"anonymised_at": "2020-01-01T00:00:00Z"}),
        ("family_address", {"state": "acceptee"}),
        ("guardian_identity", {"role": "conjoint"}),
        ("guardian_identity", {"user": 1}),
        ("child_identity", {"family": 1}),
    ],
)
def test_mass_assignment_of_staff_only_fields_is_refused(api_a, family_a, section, changes):
    family = family_a.family
    targets = {}
    if section.startswith("guardian"):
        targets["guardian"] = str(family.guardians.get().public_id)
    if section.startswith("child"):
        targets["child"] = str(family.children.get().public_id)
    response = api_a.post(
        "/api/v1/requests/", {"section": section, "changes": changes, **targets}, format="json"
    )
    assert response.status_code == 400
    assert set(api_error(response)["fields"]["changes"]) == set(changes)
    assert not ChangeRequest.objects.exists()
    reference = family.reference
    family.refresh_from_db()
    assert family.reference == reference and family.qf_valid_from is None


def test_top_level_staff_fields_are_refused_too(api_a):
    for field, value in [
        ("state", "acceptee"),
        ("decided_by", 1),
        ("reason", "ok"),
        ("auto_applied", True),
        ("family", 1),
    ]:
        response = api_a.post(
            "/api/v1/requests/",
            {"section": "family_address", "changes": {"city": "X"}, field: value},
            format="json",
        )
        assert response.status_code == 400
        assert field in api_error(response)["fields"]
    assert not ChangeRequest.objects.exists()


def test_an_invalid_iban_gets_a_json_error_and_nothing_is_stored(api_a):
    response = api_a.post(
        "/api/v1/requests/",
        {"section": "family_bank", "changes": {"iban": "FR76 3000 6000 0112 3456 7890 188"}},
        format="json",
    )
    assert response.status_code == 400
    error = api_error(response)
    assert error["message"] == "Certaines données sont invalides."
    assert "clé de contrôle" in error["fields"]["changes"]["iban"][0]
    assert not ChangeRequest.objects.exists()


def test_a_future_birth_date_is_refused(api_a):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = api_a.post(
        "/api/v1/requests/",
        {
            "section": "child_new",
            "operation": "ajout",
            "changes": {"first_name": "Zoé", "last_name": "Test", "birth_date": tomorrow},
        },
        format="json",
    )
    assert response.status_code == 400
    assert api_error(response)["fields"]["changes"]["birth_date"] == [
        "La date de naissance ne peut pas être dans le futur."
    ]
    assert not ChangeRequest.objects.exists()


def test_booleans_and_partial_changes_keep_other_fields(api_a, family_a):
    child = family_a.child
    response = api_a.post(
        "/api/v1/requests/",
        {
            "section": "child_authorisations",
            "child": str(child.public_id),
            "changes": {
                "photo_rights": True,
                "may_leave_alone": False,
                "emergency_care": True,
                "transport": False,
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    change_request = ChangeRequest.objects.get()
    assert change_request.changes["photo_rights"]["new"] is True
    assert change_request.changes["transport"]["new"] is False
    response = api_a.post(
        "/api/v1/requests/",
        {
            "section": "child_complementary",
            "child": str(child.public_id),
            "changes": {"can_swim": True},
        },
        format="json",
    )
    assert response.status_code == 201
    assert set(ChangeRequest.objects.get(section="child_complementary").changes) == {"can_swim"}


def test_another_familys_objects_are_404_in_the_body_too(api_a, family_b):
    other_child = family_b.child
    other_guardian = family_b.guardian
    for body in (
        {
            "section": "child_identity",
            "child": str(other_child.public_id),
            "changes": {"first_name": "X"},
        },
        {"section": "guardian_phones", "guardian": str(other_guardian.public_id), "changes": {}},
        {
            "section": "health_allergies",
            "child": str(other_child.public_id),
            "changes": {"allergies": "X"},
        },
    ):
        response = api_a.post("/api/v1/requests/", body, format="json")
        assert response.status_code == 404
        assert api_error(response)["code"] == "not_found"
        assert other_child.first_name not in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_photo_is_sent_in_multipart_and_checked(api_a, family_a):
    child = family_a.child
    response = api_a.post(
        "/api/v1/requests/",
        {
            "section": "child_photo",
            "child": str(child.public_id),
            "changes": json.dumps({}),
            "photo": uploaded(
                b'<svg xmlns="http://www.w3.org/2000/svg"/>', "x.svg", "image/svg+xml"
            ),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "JPEG ou PNG" in api_error(response)["fields"]["changes"]["photo"][0]
    response = api_a.post(
        "/api/v1/requests/",
        {"section": "child_photo", "child": str(child.public_id), "photo": uploaded(image_bytes())},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert ChangeRequest.objects.get().changes["photo"]["new"].endswith(".jpg")


def test_a_file_in_changes_or_for_another_section_is_refused(api_a, family_a):
    child = family_a.child
    response = api_a.post(
        "/api/v1/requests/",
        {"section": "child_photo", "child": str(child.public_id), "changes": {"photo": "x.jpg"}},
        format="json",
    )
    assert "multipart" in api_error(response)["fields"]["changes"]["photo"][0]
    response = api_a.post(
        "/api/v1/requests/",
        {"section": "family_address", "photo": uploaded(image_bytes())},
        format="multipart",
    )
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()


def test_pick_up_persons_are_added_and_removed_through_requests(api_a, family_a, staff_user):
    child = family_a.child
    response = api_a.post(
        "/api/v1/requests/",
        {
            "section": "pickup_person",
            "operation": "ajout",
            "child": str(child.public_id),
            "changes": {"first_name": "Anne", "last_name": "Roux", "phone": "06 01 02 03 04"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    services.request_accept(actor=staff_user, change_request=ChangeRequest.objects.get())
    person = api_a.get(f"/api/v1/children/{child.public_id}/pickup-persons/").json()[0]
    assert person["last_name"] == "Roux"
    response = api_a.post(
        "/api/v1/requests/",
        {
            "section": "pickup_person",
            "operation": "suppression",
            "child": str(child.public_id),
            "pickup_person": person["public_id"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["operation"] == "suppression"


def test_the_family_cancels_a_request(api_a, family_a):
    change_request = make_change_request(
        family=family_a.family, section="family_address", values={"city": "Belval"}
    )
    url = f"/api/v1/requests/{change_request.public_id}/cancel/"
    assert api_a.post(url).json()["state"] == "annulee"
    response = api_a.post(url)
    assert response.status_code == 400
    assert "déjà été traitée" in api_error(response)["fields"]["non_field_errors"][0]
    assert ChangeRequest.objects.get().state == RequestState.CANCELLED


def test_the_sections_are_listed_with_their_fields(api_a, settings):
    settings.DEMANDES_AUTO_APPLY_SECTIONS = ["guardian_phones"]
    sections = {s["key"]: s for s in api_a.get("/api/v1/sections/").json()}
    assert sections["family_bank"]["fields"] == ["account_holder", "iban", "bic"]
    assert sections["child_photo"]["file_fields"] == ["photo"]
    assert sections["guardian_phones"]["auto_applied"] is True
    assert sections["pickup_person"]["operations"] == ["ajout", "modification", "suppression"]


def test_the_schema_documents_the_routes_without_warnings(client, tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in (
        "/api/v1/family/",
        "/api/v1/guardians/{public_id}/",
        "/api/v1/children/{public_id}/health-record/",
        "/api/v1/children/{public_id}/pickup-persons/",
        "/api/v1/requests/",
        "/api/v1/requests/{public_id}/",
        "/api/v1/requests/{public_id}/cancel/",
    ):
        assert f"  {path}:" in schema
    assert "Proposer une modification du dossier" in schema
    assert client.get(reverse("api:schema")).status_code == 200
    docs = client.get(reverse("api:docs")).content.decode()
    assert "swagger-ui" in docs and "cdn" not in docs.lower()


def test_staff_fields_are_never_writable_even_as_read_fields(api_a, family_a):
    Family.objects.filter(pk=family_a.family.pk).update(quotient_familial=500)
    response = api_a.put("/api/v1/family/", {"reference": "PIRATE"}, format="json")
    assert response.status_code == 405
    assert api_a.patch(f"/api/v1/children/{family_a.child.public_id}/", {}).status_code == 405


def _staff_only_fields():
    """Every column of the file's models that no section lets a family propose."""
    from espace_prive.families.sections import SCOPE_MODELS, SECTIONS

    cases = []
    for section in SECTIONS.values():
        if not section.allows("modification"):
            continue
        editable = set().union(*(s.fields for s in SECTIONS.values() if s.scope == section.scope))
        model = SCOPE_MODELS[section.scope]
        for field in model._meta.concrete_fields:
            if field.name not in editable:
                cases.append((section.key, field.name))
    return cases


def test_staff_only_fields_are_the_expected_ones():
    staff_only = {name for _key, name in _staff_only_fields()}
    for name in ("reference", "qf_valid_from", "qf_valid_to", "sepa_mandate_reference"):
        assert name in staff_only
    for name in ("anonymised_at", "left_on", "role", "user", "family"):
        assert name in staff_only


@pytest.mark.parametrize(("section", "field"), _staff_only_fields())
def test_no_staff_only_field_can_be_proposed_through_any_section(api_a, family_a, section, field):
    family = family_a.family
    child = family.children.get()
    make_health_record(child=child)
    targets = {}
    if section.startswith("guardian"):
        targets["guardian"] = str(family.guardians.get().public_id)
    if section.startswith(("child", "health")):
        targets["child"] = str(child.public_id)
    if section == "pickup_person":
        targets["child"] = str(child.public_id)
        targets["pickup_person"] = str(make_pickup_person(child=child).public_id)
    response = api_a.post(
        "/api/v1/requests/",
        {"section": section, "changes": {field: "2020-01-01"}, **targets},
        format="json",
    )
    assert response.status_code == 400
    assert field in api_error(response)["fields"]["changes"]
    assert not ChangeRequest.objects.exists()


def test_every_section_form_holds_only_its_sections_fields():
    from espace_prive.families.forms import section_form_class
    from espace_prive.families.sections import SECTIONS

    for key, section in SECTIONS.items():
        assert set(section_form_class(key).base_fields) <= set(section.fields), key


def test_api_lists_cost_the_same_queries_for_1_and_30_rows(api_a, family_a, staff_user):
    from espace_prive.families.models import Guardian
    from tests.factories import make_requests_of_every_kind

    family, user = family_a
    child = family.children.get()
    make_health_record(child=child, allergies="Pollen")
    make_pickup_person(child=child)
    make_requests_of_every_kind(family=family, actor=user, count=1)
    urls = [
        "/api/v1/children/",
        "/api/v1/requests/",
        "/api/v1/guardians/",
        f"/api/v1/children/{child.public_id}/pickup-persons/",
    ]
    for url in urls:
        api_a.get(url)
    one = {url: count_get_json(api_a, url) for url in urls}
    make_requests_of_every_kind(family=family, actor=user, count=29, decider=staff_user)
    for n in range(29):
        make_pickup_person(child=child, first_name=f"P{n}")
    Guardian.objects.create(family=family, role=Guardian.Role.PARTNER, first_name="Paul")
    for url in urls:
        count, body = count_get_json(api_a, url)
        assert len(body if isinstance(body, list) else body["results"]) >= 2, url
        assert count == one[url][0], url


def test_an_unknown_v1_url_is_404_in_the_api_error_shape(client, db):
    response = client.get("/api/v1/pas-une-ressource/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("section", "changes", "field"),
    [
        ("child_identity", {"first_name": True}, "first_name"),
        ("child_identity", {"first_name": ["Zoé"]}, "first_name"),
        ("child_identity", {"last_name": {"nom": "Martin"}}, "last_name"),
        ("child_complementary", {"can_swim": "oui"}, "can_swim"),
        ("child_complementary", {"can_swim": 1}, "can_swim"),
        ("child_complementary", {"insurance_number": False}, "insurance_number"),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused(api_a, family_a, section, changes, field):
    child = family_a.child
    response = api_a.post(
        "/api/v1/requests/",
        {"section": section, "child": str(child.public_id), "changes": changes},
        format="json",
    )
    assert response.status_code == 400
    assert list(api_error(response)["fields"]["changes"]) == [field]
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("section", "changes", "field"),
    [
        ("family_fiscal", {"reference_tax_income": -5}, "reference_tax_income"),
        ("family_fiscal", {"tax_shares": 0}, "tax_shares"),
        ("family_caf", {"quotient_familial": -1}, "quotient_familial"),
    ],
)
def test_a_negative_amount_gets_a_french_error_on_its_field(api_a, section, changes, field):
    response = api_a.post("/api/v1/requests/", {"section": section, "changes": changes}, "json")
    assert response.status_code == 400
    errors = api_error(response)["fields"]["changes"]
    assert field in errors
    assert "contrainte" not in json.dumps(errors, ensure_ascii=False)
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("section", "changes", "field", "message"),
    [
        ("child_identity", {"birth_date": "1985-06-01"}, "birth_date", "année de naissance"),
        ("health_medical", {"last_dtp_booster": "1980-06-01"}, "last_dtp_booster", "plausible"),
    ],
)
def test_an_implausible_date_gets_a_french_error_on_its_field(
    api_a, family_a, section, changes, field, message
):
    child = family_a.child
    body = {"section": section, "child": str(child.public_id), "changes": changes}
    response = api_a.post("/api/v1/requests/", body, format="json")
    assert response.status_code == 400
    errors = api_error(response)["fields"]["changes"]
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not ChangeRequest.objects.exists()


def test_adding_a_child_already_in_the_file_names_the_reason(api_a, family_a):
    child = family_a.child
    changes = {
        "first_name": child.first_name.upper(),
        "last_name": child.last_name,
        "birth_date": child.birth_date.isoformat(),
        "sex": "F",
    }
    body = {"section": "child_new", "operation": "ajout", "changes": changes}
    response = api_a.post("/api/v1/requests/", body, format="json")
    assert response.status_code == 400
    errors = api_error(response)["fields"]["changes"]
    assert errors == {
        "first_name": [
            "Cet enfant figure déjà dans votre dossier (même prénom, même date de naissance)."
        ]
    }
    assert not ChangeRequest.objects.exists()


def test_the_schema_describes_the_errors_of_every_family_route(tmp_path):
    import yaml

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    paths = yaml.safe_load((tmp_path / "schema.yml").read_text())["paths"]
    error_ref = {"$ref": "#/components/schemas/Erreur"}
    family_routes = [path for path in paths if not path.startswith("/api/v1/auth/")]
    assert len(family_routes) >= 10
    for path in family_routes:
        for method, operation in paths[path].items():
            expected = {"401", "403"}
            if "{" in path:
                expected.add("404")
            if method == "post":
                expected.add("400")
            assert expected <= set(operation["responses"]), (method, path)
            for code in expected:
                schema = operation["responses"][code]["content"]["application/json"]["schema"]
                assert schema == error_ref, (method, path, code)


def test_guardians_are_listed_responsable_1_first(api_a, family_a):
    from espace_prive.families.models import Guardian
    from tests.factories import make_guardian

    family = family_a.family
    # "conjoint" sorts before "responsable": the order is the selector's, not the role's.
    make_guardian(family=family, role=Guardian.Role.PARTNER, first_name="Paul")
    roles = [g["role"] for g in api_a.get("/api/v1/guardians/").json()]
    assert roles == [Guardian.Role.PRIMARY, Guardian.Role.PARTNER]
