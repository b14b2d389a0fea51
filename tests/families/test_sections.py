"""The section registry says, once, what a request of each section names and changes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from espace_prive.demandes import services
from espace_prive.families.models import Child, Family, Guardian, HealthRecord, PickupPerson
from espace_prive.families.sections import (
    SECTIONS,
    Operation,
    resolve_target,
    target_names,
)
from tests.factories import make_guardian, make_health_record, make_pickup_person

pytestmark = pytest.mark.django_db

EXPECTED_ROW = {
    "famille": Family,
    "responsable": Guardian,
    "enfant": Child,
    "sante": HealthRecord,
    "personne": PickupPerson,
}


def _named(family):
    child = family.children.get()
    return {
        "guardian": family.guardians.get(),
        "child": child,
        "pickup_person": make_pickup_person(child=child),
    }


@pytest.mark.parametrize(
    ("key", "operation"),
    [(key, op) for key, section in SECTIONS.items() for op in section.operations],
)
def test_every_section_resolves_the_row_it_changes_or_creates(family_a, key, operation):
    section = SECTIONS[key]
    family = family_a.family
    named = _named(family)
    targets = {name: named[name] for name in target_names(section, operation)}
    row = resolve_target(section, operation, family=family, **targets)
    assert isinstance(row, EXPECTED_ROW[section.scope])
    if operation == Operation.CREATE:
        assert row.pk is None
        owner = row.child.family if isinstance(row, PickupPerson) else row.family
        assert owner == family
    elif section.is_health:
        assert row.child == named["child"]
    else:
        names = target_names(section, operation)
        assert row == (targets[names[-1]] if names else family)


def test_the_second_guardian_created_is_the_conjoint(family_a):
    row = resolve_target(SECTIONS["guardian_new"], Operation.CREATE, family=family_a.family)
    assert row.role == Guardian.Role.PARTNER


def test_a_health_record_is_read_now_or_is_an_empty_new_one(family_a):
    child = family_a.child
    section = SECTIONS["health_allergies"]
    empty = resolve_target(section, family=family_a.family, child=child)
    assert empty.pk is None and empty.child == child
    record = make_health_record(child=child, allergies="Arachide")
    assert resolve_target(section, family=family_a.family, child=child).pk == record.pk


def test_a_locked_target_that_is_gone_is_none(family_a):
    child = family_a.child
    person = make_pickup_person(child=child)
    PickupPerson.objects.filter(pk=person.pk).delete()
    with transaction.atomic():
        row = resolve_target(
            SECTIONS["pickup_person"],
            family=family_a.family,
            child=child,
            pickup_person=person,
            lock=True,
        )
    assert row is None


@pytest.mark.parametrize(
    ("key", "operation", "missing"),
    [
        ("guardian_phones", Operation.UPDATE, "guardian"),
        ("child_identity", Operation.UPDATE, "child"),
        ("health_pai", Operation.UPDATE, "child"),
        ("pickup_person", Operation.CREATE, "child"),
        ("pickup_person", Operation.DELETE, "pickup_person"),
    ],
)
def test_the_service_refuses_a_request_without_the_object_the_registry_asks_for(
    family_a, key, operation, missing
):
    family, user = family_a
    named = _named(family)
    targets = {name: named[name] for name in target_names(SECTIONS[key], operation)}
    targets.pop(missing)
    with pytest.raises(ValidationError, match="ne précise pas ce qu'elle modifie"):
        services.request_create(
            actor=user,
            family=family,
            section=key,
            operation=operation,
            values={"first_name": "X"} if operation == Operation.CREATE else {},
            **targets,
        )


def test_the_api_asks_for_the_same_objects_as_the_service(family_a):
    from rest_framework.test import APIClient

    family, user = family_a
    api = APIClient()
    api.force_authenticate(user)
    make_guardian(family=family, role=Guardian.Role.PARTNER)
    response = api.post(
        "/api/v1/requests/",
        {"section": "pickup_person", "operation": "suppression", "changes": {}},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == set(target_names(SECTIONS["pickup_person"], Operation.DELETE))
