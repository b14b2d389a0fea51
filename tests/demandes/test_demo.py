import pytest
from django.core.management import call_command

from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.families.models import Child, Family, HealthRecord

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Family.objects.values_list("reference", "city", "quotient_familial")),
        sorted(Child.objects.values_list("first_name", "birth_date", "family__reference")),
        sorted(HealthRecord.objects.values_list("child__first_name", "allergies", "has_pai")),
        sorted(ChangeRequest.objects.values_list("family__reference", "section", "state")),
    )


def test_seed_demo_creates_three_families_and_pending_requests_idempotently():
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
    assert Family.objects.count() == 3
    lea = HealthRecord.objects.get(child__first_name="Léa")
    assert lea.has_pai and "Arachide" in lea.allergies and lea.pai_document
    assert HealthRecord.objects.count() == Child.objects.count() == 5
    pending = ChangeRequest.objects.filter(state=RequestState.PENDING)
    assert {r.section for r in pending} >= {
        "guardian_phones",
        "health_allergies",
        "child_new",
        "pickup_person",
        "family_address",
        "family_caf",
    }
    assert {r.family.reference for r in pending} == {"FAM-00001", "FAM-00002", "FAM-00003"}


def test_demo_requests_can_be_accepted(staff_user):
    from espace_prive.demandes import services

    call_command("seed_demo")
    for change_request in ChangeRequest.objects.filter(state=RequestState.PENDING):
        decided = services.request_accept(actor=staff_user, change_request=change_request)
        assert decided.state == RequestState.ACCEPTED, (change_request.section, decided.reason)
    call_command("seed_demo")  # seeding again does not ask the same things again
    assert not ChangeRequest.objects.filter(state=RequestState.PENDING).exists()


def test_the_demo_pre_inscription_is_in_the_staff_queue(staff_client):
    from django.urls import reverse

    call_command("seed_demo")
    page = staff_client.get(
        reverse("demandes_admin:index"), {"section": "pre_inscription"}
    ).content.decode()
    assert "Nadia Petit" in page and "1 demande." in page
