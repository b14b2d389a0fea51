"""RGPD: a family downloads all its data; staff anonymise a family that has left."""

import datetime
import html
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espace_prive import rgpd
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
    make_registration,
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
    other = family_b.family
    assert other.reference not in response.content.decode("latin-1")
    assert other.children.get().first_name not in archive.read("donnees.json").decode()


def test_only_a_family_that_left_can_be_anonymised(full_family, staff_user):
    family, _user = full_family
    with pytest.raises(ValidationError, match="date de départ"):
        rgpd.family_anonymise(actor=staff_user, family=family)
    clerk = make_staff_with_perms("families.view_family")
    Family.objects.filter(pk=family.pk).update(left_on=datetime.date(2026, 7, 1))
    family.refresh_from_db()
    with pytest.raises(PermissionDenied):
        rgpd.family_anonymise(actor=clerk, family=family)


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
        rgpd.family_anonymise(actor=staff_user, family=family)

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
        rgpd.family_anonymise(actor=staff_user, family=family)


def test_the_anonymised_login_has_no_family_any_more(full_family, staff_user):
    family, user = full_family
    Family.objects.filter(pk=family.pk).update(left_on=datetime.date(2026, 7, 1))
    family.refresh_from_db()
    rgpd.family_anonymise(actor=staff_user, family=family)
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


@pytest.fixture
def left_family_with_accounts(full_family, family_b):
    """Family A has left; its login has sessions, a second factor, tokens, an invitation
    pending for the conjoint and the pré-inscription it came from."""
    from django.utils import timezone
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from espace_prive.accounts.models import (
        ApiToken,
        Invitation,
        Registration,
    )

    family, user = full_family
    session_client = Client()
    session_client.force_login(user)
    assert session_client.get(reverse("espace_prive:families:account")).status_code == 200
    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Secours", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcd1234")
    ApiToken.objects.create(
        user=user,
        key_hash="h" * 64,
        prefix="pf_abc",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    partner = Guardian.objects.create(
        family=family,
        role=Guardian.Role.PARTNER,
        first_name="Paul",
        last_name="Martin",
        email="paul.martin@example.test",
    )
    Invitation.objects.create(
        guardian=partner,
        channel=Invitation.Channel.EMAIL,
        email="paul.martin@example.test",
        secret_hash="s" * 64,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    make_registration(
        user=user,
        family=family,
        status=Registration.Status.ACCEPTED,
        first_name="Alice",
        last_name="Martin",
        email="alice@example.test",
        mobile_phone="06 01 02 03 04",
        address="8 rue des Lilas",
        city="Orléans",
        children=["Léa"],
    )
    Family.objects.filter(pk=family.pk).update(left_on=datetime.date(2026, 7, 1))
    family.refresh_from_db()
    return family, user, session_client


def test_anonymisation_wipes_the_logins_and_everything_tied_to_them(
    left_family_with_accounts, family_b, staff_user, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from espace_prive.accounts.models import (
        ApiToken,
        Invitation,
        Registration,
        RegistrationChild,
        UserSession,
    )

    family, user, session_client = left_family_with_accounts
    other_user = family_b.user
    TOTPDevice.objects.create(user=other_user, name="Téléphone", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        rgpd.family_anonymise(actor=staff_user, family=family)

    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.email.endswith("@anonyme.invalid")
    assert (user.first_name, user.last_name, user.email_confirmed_at) == ("", "", None)
    # Its open session is over, on the server.
    assert not UserSession.objects.filter(user=user).exists()
    response = session_client.get(reverse("espace_prive:families:account"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Invitation.objects.filter(guardian__family=family).exists()
    assert not Registration.objects.filter(family=family).exists()
    assert not Registration.objects.filter(user=user).exists()
    assert not RegistrationChild.objects.exists()
    partner = Guardian.objects.get(family=family, role=Guardian.Role.PARTNER)
    assert (partner.first_name, partner.email) == ("Responsable", "")
    # Another family's login is untouched.
    other_user.refresh_from_db()
    assert other_user.is_active and TOTPDevice.objects.filter(user=other_user).exists()


def test_anonymisation_is_all_or_nothing(left_family_with_accounts, staff_user, monkeypatch):
    from espace_prive.accounts.models import Registration
    from espace_prive.accounts.services import erasure

    family, user, _client = left_family_with_accounts
    storage = storages["private"]
    photo = family.children.get().photo.name

    def broken(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(erasure, "user_erase", broken)
    with pytest.raises(RuntimeError):
        rgpd.family_anonymise(actor=staff_user, family=family)
    family.refresh_from_db()
    user.refresh_from_db()
    assert family.anonymised_at is None and family.address == "8 rue des Lilas"
    assert user.is_active and Registration.objects.filter(family=family).exists()
    assert storage.exists(photo)


def test_the_export_holds_the_pre_inscription_and_nothing_of_another_family(
    full_family, client_a, family_b
):
    from espace_prive.accounts.models import Registration

    family, user = full_family

    def registration(owner, fam, name, child_name):
        make_registration(
            user=owner,
            family=fam,
            status=Registration.Status.ACCEPTED,
            first_name=name,
            last_name="Demandeur",
            children=[child_name],
        )

    registration(user, family, "Alicia", "Zoé")
    registration(family_b.user, family_b.family, "Brunehilde", "Théodoric")
    archive = zipfile.ZipFile(
        io.BytesIO(client_a.get(reverse("espace_prive:families:export")).content)
    )
    raw = archive.read("donnees.json").decode()
    data = json.loads(raw)
    [exported] = data["pre_inscriptions"]
    assert exported["first_name"] == "Alicia"
    assert exported["children"][0]["first_name"] == "Zoé"
    assert "Brunehilde" not in raw and "Théodoric" not in raw
    assert "bruno@example.test" not in raw


def test_the_anonymise_page_offers_nothing_to_confirm_before_the_family_left(full_family):
    family, _user = full_family
    officer = sign_in(
        Client(), make_staff_with_perms("families.view_family", "families.anonymise_family")
    )
    url = reverse("families_admin:anonymise", args=[family.public_id])
    page = html.unescape(officer.get(url).content.decode())
    assert "Indiquez d'abord la date de départ de la famille" in page
    assert "Anonymiser définitivement" not in page

    Family.objects.filter(pk=family.pk).update(
        left_on=datetime.date(2026, 7, 1), anonymised_at=timezone.now()
    )
    page = html.unescape(officer.get(url).content.decode())
    assert "Cette famille est déjà anonymisée." in page
    assert "Anonymiser définitivement" not in page
