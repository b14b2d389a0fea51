import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from espace_prive.accounts import services
from espace_prive.accounts.models import AuditEvent, Registration
from espace_prive.families.models import Child, Family, Guardian
from espace_prive.families.selectors import family_for_user
from tests.conftest import sign_in
from tests.factories import TEST_PASSWORD, make_registration, make_staff

from .helpers import LOGIN_URL, captured_commits, link_in_last_mail, login_post, path_of

pytestmark = pytest.mark.django_db

REGISTER_URL = "/espace-famille/compte/pre-inscription/"
STATUS_URL = "/espace-famille/compte/ma-demande/"
QUEUE_URL = "/admin/comptes/pre-inscriptions/"  # each one reviewed at QUEUE_URL<public_id>/
STAFF_QUEUE_URL = "/admin/demandes/"  # where they are listed, with the families' requests
PASSWORD = "notre nouvelle famille à Belval"


def _form(**overrides):
    data = {
        "civility": "mme",
        "first_name": "Nadia",
        "last_name": "Petit",
        "email": "nadia@example.test",
        "mobile_phone": "07 12 34 56 78",
        "address": "21 avenue de la Gare",
        "address_complement": "",
        "postcode": "45000",
        "city": "Belval",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "child_1_first_name": "Yanis",
        "child_1_last_name": "Petit",
        "child_1_birth_date": "2019-04-02",
        "child_2_first_name": "Lou",
        "child_2_last_name": "Petit",
        "child_2_birth_date": "12/10/2021",
    }
    data.update(overrides)
    return data


def _register(client, **overrides):
    with captured_commits():
        return client.post(REGISTER_URL, _form(**overrides))


def _register_and_sign_in(client, **overrides):
    response = _register(client, **overrides)
    assert response["Location"] == LOGIN_URL
    password = overrides.get("password1", PASSWORD)
    assert login_post(client, "nadia@example.test", password).status_code == 302
    return response


def _confirm_email(client=None):
    link = path_of(link_in_last_mail(r"http://testserver/espace-famille/compte/adresse-e-mail/\S+"))
    assert (client or Client()).get(link).status_code == 200


def _reviewer():
    staff = make_staff(email="instructeur@example.test")
    for codename in ("access_admin", "review_registration"):
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    return staff, sign_in(Client(), staff)


def test_a_new_family_submits_a_request_and_can_only_follow_it():
    client = Client()
    response = _register(client)
    # Not signed in yet: the same answer as for an address that has a login.
    assert response["Location"] == LOGIN_URL
    assert "Votre demande est enregistrée" in client.get(LOGIN_URL).content.decode()
    assert login_post(client, "nadia@example.test", PASSWORD)["Location"] == "/espace-famille/"
    registration = Registration.objects.get()
    assert registration.is_pending and registration.children.count() == 2
    assert mail.outbox[-1].to == ["nadia@example.test"]
    assert "Confirmez d'abord votre adresse" in mail.outbox[-1].body
    page = client.get(STATUS_URL).content.decode()
    assert "En cours d" in page and "Yanis Petit" in page
    # Everything else of the private area leads back to the request.
    assert client.get("/espace-famille/")["Location"] == STATUS_URL
    assert client.get("/espace-famille/compte/")["Location"] == STATUS_URL
    assert client.get("/espace-famille/compte/double-authentification/")["Location"] == STATUS_URL
    assert client.get("/api/schema/").json()["error"]["code"] == "registration_pending"
    assert client.get("/admin/").status_code == 302
    # Signing in later leads to the request too.
    client.post("/espace-famille/compte/deconnexion/")
    again = Client()
    login_post(again, "nadia@example.test", PASSWORD)
    assert again.get("/espace-famille/")["Location"] == STATUS_URL


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"child_1_first_name": "", "child_1_last_name": "", "child_1_birth_date": "",
          "child_2_first_name": "", "child_2_last_name": "", "child_2_birth_date": ""},
         "Indiquez au moins un enfant."),
        ({"child_2_birth_date": ""}, "Ce champ est obligatoire pour cet enfant."),
        ({"child_1_birth_date": "2099-01-01"}, "ne peut pas être dans le futur"),
        ({"postcode": "450"}, "Le code postal comporte 5 chiffres."),
        ({"password1": "court", "password2": "court"}, "12 caractères"),
        ({"password2": "autre chose encore"}, "ne sont pas identiques"),
        ({"email": "pas-un-email"}, "Saisissez une adresse e-mail valide."),
        # Copied to the guardian on acceptance: the same rule as the family's own form.
        ({"mobile_phone": "12"}, "Saisissez un numéro de téléphone"),
        ({"mobile_phone": "appelez le soir"}, "Saisissez un numéro de téléphone"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_created(overrides, message):
    response = _register(Client(), **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert not get_user_model().objects.exists()


def test_an_address_with_a_login_gets_the_same_answer_and_its_owner_an_email(family_a):
    """No enumeration: the answer does not say whether the address has a login."""
    user = family_a.user
    new = _register(Client(), email="personne@example.test")
    Registration.objects.all().delete()
    mail.outbox.clear()
    client = Client()
    existing = _register(client, email=user.email.upper())
    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    assert "Votre demande est enregistrée" in client.get(LOGIN_URL).content.decode()
    assert not Registration.objects.exists()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD) and user.first_name != "Nadia"
    assert mail.outbox[-1].to == [user.email]
    assert "Un compte existe déjà avec cette adresse" in mail.outbox[-1].body


def test_staff_accept_the_request_the_family_is_created_and_welcomed():
    applicant = Client()
    _register_and_sign_in(applicant)
    registration = Registration.objects.get()
    staff, staff_client = _reviewer()
    queue = staff_client.get(STAFF_QUEUE_URL).content.decode()
    assert "Nadia Petit" in queue
    # Not before the e-mail address is confirmed.
    response = staff_client.post(f"{QUEUE_URL}{registration.public_id}/", {"action": "accept"})
    assert response.status_code == 400
    assert "pas encore confirmé" in response.content.decode()
    assert not Family.objects.exists()
    _confirm_email()
    with captured_commits():
        response = staff_client.post(f"{QUEUE_URL}{registration.public_id}/", {"action": "accept"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    family = registration.family
    assert family.address == "21 avenue de la Gare" and family.reference.startswith("FAM-")
    guardian = Guardian.objects.get(family=family)
    assert guardian.user == registration.user and guardian.role == Guardian.Role.PRIMARY
    assert sorted(Child.objects.filter(family=family).values_list("first_name", flat=True)) == [
        "Lou",
        "Yanis",
    ]
    assert mail.outbox[-1].to == ["nadia@example.test"]
    assert "acceptée" in mail.outbox[-1].body and family.reference in mail.outbox[-1].body
    # The applicant's open session now opens the family area.
    home = applicant.get("/espace-famille/", follow=True)
    assert home.status_code == 200 and home.request["PATH_INFO"] == "/espace-famille/"
    assert applicant.get("/espace-famille/").status_code == 200
    assert family_for_user(registration.user) == family
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.REGISTRATION_ACCEPTED, actor=staff
    ).exists()
    # A decided request cannot be decided again.
    again = staff_client.post(f"{QUEUE_URL}{registration.public_id}/", {"action": "accept"})
    assert "déjà été traitée" in again.content.decode()
    assert Family.objects.count() == 1


def test_staff_refuse_with_a_reason_that_is_emailed():
    applicant = Client()
    _register_and_sign_in(applicant)
    registration = Registration.objects.get()
    _staff, staff_client = _reviewer()
    url = f"{QUEUE_URL}{registration.public_id}/"
    response = staff_client.post(url, {"action": "refuse", "reason": ""})
    assert response.status_code == 400
    assert Registration.objects.get().is_pending
    with captured_commits():
        response = staff_client.post(
            url, {"action": "refuse", "reason": "Vous n'habitez pas la commune."}
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REFUSED
    assert mail.outbox[-1].to == ["nadia@example.test"]
    assert "Vous n'habitez pas la commune." in mail.outbox[-1].body
    assert not Family.objects.exists()
    # The applicant's login is closed; a new request with the same address is possible.
    assert applicant.get(STATUS_URL).status_code == 302
    assert login_post(Client(), "nadia@example.test", PASSWORD).status_code == 200
    new_password = "une seconde demande mieux remplie"
    _register_and_sign_in(Client(), password1=new_password, password2=new_password)
    assert Registration.objects.filter(status=Registration.Status.PENDING).count() == 1
    assert get_user_model().objects.filter(email="nadia@example.test").count() == 1


def test_the_queue_needs_the_permission():
    _register(Client())
    staff = make_staff(email="autre-agent@example.test")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = sign_in(Client(), staff)
    assert client.get(QUEUE_URL).status_code == 403  # no private-area role: the admin gate
    staff.user_permissions.add(Permission.objects.get(codename="view_family"))
    client = sign_in(Client(), type(staff).objects.get(pk=staff.pk))
    assert client.get(QUEUE_URL)["Location"] == "/admin/"
    registration = Registration.objects.get()
    client.post(f"{QUEUE_URL}{registration.public_id}/", {"action": "accept"})
    assert Registration.objects.get().is_pending


def test_services_can_be_called_from_another_queue():
    """registration_accept/refuse take the registration and the actor, nothing else."""
    registration = make_registration()
    staff = make_staff()
    with captured_commits():
        services.registration_accept(actor=staff, registration=registration)
    with pytest.raises(services.AccountError):
        services.registration_refuse(actor=staff, registration=registration, reason="trop tard")


def test_a_name_without_civility_is_printed_alone(staff_client):
    from tests.factories import make_registration

    registration = make_registration(last_name="Sans-Civilite")
    applicant = sign_in(Client(), registration.user)
    status = applicant.get(reverse("espace_prive:accounts:registration_status")).content.decode()
    review = staff_client.get(
        reverse("accounts_admin:registration", args=[registration.public_id])
    ).content.decode()
    for page in (status, review):
        assert f"{registration.first_name} Sans-Civilite" in page
        assert "Non précisé" not in page
