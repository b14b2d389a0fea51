"""RGPD: a family downloads all its data; staff anonymise a family that has left."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse

from espace_prive.demandes.models import ChangeRequest
from espace_prive.families import selectors, services
from espace_prive.families.models import (
    Child,
    Family,
    Guardian,
    HealthAccessLog,
    HealthRecord,
    PickupPerson,
)
from tests.conftest import sign_in
from tests.factories import (
    MINIMAL_PDF,
    image_bytes,
    make_change_request,
    make_health_record,
    make_pickup_person,
    make_staff_with_perms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_family(family_a):
    family, user = family_a
    storage = storages["private"]
    child = family.children.get()
    photo = storage.save("enfants/photo.jpg", ContentFile(image_bytes()))
    Child.objects.filter(pk=child.pk).update(photo=photo, insurance_company="MAIF")
    make_health_record(
        child=child,
        allergies="Arachide",
        has_pai=True,
        pai_document=storage.save("pai/pai.pdf", ContentFile(MINIMAL_PDF)),
    )
    make_pickup_person(child=child, first_name="Anne", last_name="Roux")
    Family.objects.filter(pk=family.pk).update(
        address="8 rue des Lilas",
        iban="FR7630006000011234567890189",
        quotient_familial=600,
        qf_proof=storage.save("qf/attestation.pdf", ContentFile(MINIMAL_PDF)),
    )
    make_change_request(
        family=family,
        section="child_photo",
        child=child,
        actor=user,
        values={"photo": ContentFile(image_bytes(size=(50, 50)), name="photo.jpg")},
    )
    family.refresh_from_db()
    return family, user


def test_the_family_downloads_all_its_data_as_a_zip(full_family, client_a, family_b):
    family, _user = full_family
    response = client_a.get(reverse("espace_prive:families:export"))
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    data = json.loads(archive.read("donnees.json"))
    child = family.children.get()
    assert data["family"]["reference"] == family.reference
    assert data["family"]["iban"] == "FR7630006000011234567890189"
    assert data["guardians"][0]["login_email"] == "alice@example.test"
    exported_child = data["children"][0]
    assert exported_child["health_record"]["allergies"] == "Arachide"
    assert exported_child["pickup_persons"][0]["last_name"] == "Roux"
    assert exported_child["insurance_company"] == "MAIF"
    assert data["requests"][0]["section"] == "child_photo"
    for path in (
        exported_child["photo"],
        exported_child["health_record"]["pai_document"],
        data["family"]["qf_proof"],
        data["requests"][0]["changes"]["photo"]["new"],
    ):
        assert path in names
    assert (
        archive.read(exported_child["photo"]) == storages["private"].open(child.photo.name).read()
    )
    # Nothing of another family.
    other = family_b[0]
    assert other.reference not in response.content.decode("latin-1")
    assert other.children.get().first_name not in archive.read("donnees.json").decode()


def test_only_a_family_that_left_can_be_anonymised(full_family, staff_user):
    family, _user = full_family
    with pytest.raises(ValidationError, match="date de départ"):
        services.family_anonymise(actor=staff_user, family=family)
    clerk = make_staff_with_perms("families.view_family")
    Family.objects.filter(pk=family.pk).update(left_on=datetime.date(2026, 7, 1))
    family.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.family_anonymise(actor=clerk, family=family)


def test_anonymisation_wipes_personal_data_and_files_and_keeps_the_skeleton(
    full_family, staff_user, django_capture_on_commit_callbacks
):
    family, user = full_family
    storage = storages["private"]
    child = family.children.get()
    files = [
        child.photo.name,
        child.health_record.pai_document.name,
        family.qf_proof.name,
        ChangeRequest.objects.get().changes["photo"]["new"],
    ]
    assert all(storage.exists(name) for name in files)
    services.health_access_log(actor=staff_user, child=child, context="fiche")
    Family.objects.filter(pk=family.pk).update(left_on=datetime.date(2026, 7, 1))
    family.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.family_anonymise(actor=staff_user, family=family)

    family.refresh_from_db()
    assert family.anonymised_at is not None
    assert family.reference and family.left_on == datetime.date(2026, 7, 1)
    assert (family.address, family.iban, family.qf_proof.name) == ("", "", "")
    assert family.quotient_familial is None
    guardian = Guardian.objects.get(family=family)
    assert (guardian.first_name, guardian.last_name, guardian.email) == (
        "Responsable",
        "anonymisé",
        "",
    )
    assert guardian.user is None
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.email.endswith("@anonyme.invalid")
    child.refresh_from_db()
    assert (child.first_name, child.last_name, child.photo.name) == ("Enfant 1", "anonymisé", "")
    assert child.birth_date.month == child.birth_date.day == 1
    assert child.insurance_company == ""
    assert not HealthRecord.objects.filter(child=child).exists()
    assert not PickupPerson.objects.filter(child=child).exists()
    assert not ChangeRequest.objects.filter(family=family).exists()
    assert HealthAccessLog.objects.filter(child=child).count() == 1  # who looked, kept
    assert not any(storage.exists(name) for name in files)
    with pytest.raises(ValidationError, match="déjà anonymisée"):
        services.family_anonymise(actor=staff_user, family=family)


def test_the_anonymised_login_has_no_family_any_more(full_family, staff_user):
    family, user = full_family
    Family.objects.filter(pk=family.pk).update(left_on=datetime.date(2026, 7, 1))
    family.refresh_from_db()
    services.family_anonymise(actor=staff_user, family=family)
    user.refresh_from_db()
    assert selectors.family_for_user(user) is None
    client = Client()
    client.force_login(user)  # disabled: the session is not honoured
    response = client.get(reverse("espace_prive:families:account"))
    assert response.status_code == 302
    assert reverse("espace_prive:accounts:login") in response["Location"]


def test_staff_anonymise_from_the_admin_after_confirming(full_family):
    family, _user = full_family
    Family.objects.filter(pk=family.pk).update(left_on=datetime.date(2026, 7, 1))
    officer = sign_in(
        Client(), make_staff_with_perms("families.view_family", "families.anonymise_family")
    )
    url = reverse("families_admin:anonymise", args=[family.public_id])
    assert "Opération irréversible" in officer.get(url).content.decode()
    officer.post(url, {"confirm": "pas la bonne référence"})
    family.refresh_from_db()
    assert family.anonymised_at is None
    officer.post(url, {"confirm": family.reference})
    family.refresh_from_db()
    assert family.anonymised_at is not None
    clerk = sign_in(Client(), make_staff_with_perms("families.view_family"))
    assert clerk.get(url).status_code == 302
