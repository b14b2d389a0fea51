import datetime
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.utils import timezone

from espace_prive.accounts import services
from espace_prive.accounts.models import AuditEvent, Invitation
from espace_prive.families.models import Guardian
from espace_prive.families.selectors import family_for_user
from tests.conftest import sign_in
from tests.factories import make_family, make_guardian, make_staff

from .helpers import captured_commits, link_in_last_mail, login_post, path_of

pytestmark = pytest.mark.django_db

PASSWORD = "ma phrase de passe du portail"
ACCESS_URL = "/espace-famille/compte/activer/"
INVITATIONS_URL = "/admin/comptes/invitations/"


@pytest.fixture
def guardian():
    family = make_family(address="8 rue des Lilas", postcode="45000", city="Belval")
    return make_guardian(
        family=family, first_name="Paul", last_name="Durand", email="paul@example.test"
    )


def _invite(guardian, actor=None):
    with captured_commits():
        services.invitation_send_email(actor=actor, guardian=guardian)
    return path_of(link_in_last_mail(r"http://testserver/espace-famille/compte/invitation/\S+"))


def _choose_password(client, link, password=PASSWORD):
    page = client.get(link, follow=True)
    assert page.status_code == 200, page.content.decode()
    return client.post(
        "/espace-famille/compte/invitation/choisir-mot-de-passe/",
        {"password1": password, "password2": password},
    )


def test_an_emailed_link_creates_the_guardians_login(guardian):
    link = _invite(guardian)
    client = Client()
    response = _choose_password(client, link)
    assert response["Location"] == "/espace-famille/compte/connexion/"
    user = get_user_model().objects.get(email="paul@example.test")
    assert user.check_password(PASSWORD) and user.email_confirmed
    guardian.refresh_from_db()
    assert guardian.user == user and family_for_user(user) == guardian.family
    assert login_post(Client(), "paul@example.test", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.INVITATION_USED, user=user).exists()


def test_the_token_leaves_the_address_bar(guardian):
    link = _invite(guardian)
    response = Client().get(link)
    assert response["Location"] == "/espace-famille/compte/invitation/choisir-mot-de-passe/"


def test_a_used_link_is_refused_and_changes_nothing(guardian):
    link = _invite(guardian)
    _choose_password(Client(), link)
    response = Client().get(link)
    assert response.status_code == 400
    assert "déjà été utilisé" in response.content.decode()
    assert get_user_model().objects.get(email="paul@example.test").check_password(PASSWORD)


def test_an_expired_link_is_refused(guardian):
    link = _invite(guardian)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().get(link)
    assert response.status_code == 400 and "expiré" in response.content.decode()
    assert not get_user_model().objects.filter(email="paul@example.test").exists()


def test_a_wrong_link_is_refused():
    response = Client().get("/espace-famille/compte/invitation/pas-un-vrai-jeton/")
    assert response.status_code == 400 and "pas valable" in response.content.decode()


def test_sending_again_replaces_the_previous_link(guardian):
    first = _invite(guardian)
    second = _invite(guardian)
    assert Client().get(first).status_code == 400
    assert Client().get(second).status_code == 302
    assert Invitation.objects.count() == 1


def test_weak_password_is_refused_on_the_invitation_page(guardian):
    link = _invite(guardian)
    response = _choose_password(Client(), link, password="paul-durand")
    assert response.status_code == 200
    assert "12 caractères" in response.content.decode()
    assert not get_user_model().objects.filter(email="paul@example.test").exists()


# --- Letters with an access code ---------------------------------------------------------


def _letter(guardian):
    invitation = services.invitation_prepare_letter(actor=None, guardian=guardian)
    [(invitation, code)] = services.invitation_letters_issue(actor=None, invitations=[invitation])
    return invitation, code


def test_an_access_code_lets_a_guardian_without_email_create_a_login(guardian):
    Guardian.objects.filter(pk=guardian.pk).update(email="")
    _invitation, code = _letter(guardian)
    client = Client()
    response = client.post(ACCESS_URL, {"code": code.lower().replace("-", " ")})
    assert response["Location"] == ACCESS_URL + "mon-compte/"
    with captured_commits():
        response = client.post(
            ACCESS_URL + "mon-compte/",
            {"email": "paul.durand@example.test", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response["Location"] == "/espace-famille/compte/connexion/"
    user = get_user_model().objects.get(email="paul.durand@example.test")
    assert not user.email_confirmed
    assert mail.outbox[-1].to == ["paul.durand@example.test"]
    assert "/espace-famille/compte/adresse-e-mail/confirmer/" in mail.outbox[-1].body
    guardian.refresh_from_db()
    assert guardian.user == user and guardian.email == "paul.durand@example.test"
    # The code is single use.
    again = Client().post(ACCESS_URL, {"code": code})
    assert "déjà servi" in again.content.decode()


def test_wrong_codes_are_refused_then_locked_for_that_ip(guardian):
    _invitation, code = _letter(guardian)
    client = Client()
    for _ in range(4):
        response = client.post(ACCESS_URL, {"code": "AAAA-BBBB-CCCC"}, REMOTE_ADDR="203.0.113.8")
        assert "pas valable" in response.content.decode()
    client.post(ACCESS_URL, {"code": "AAAA-BBBB-CCCC"}, REMOTE_ADDR="203.0.113.8")
    response = client.post(ACCESS_URL, {"code": code}, REMOTE_ADDR="203.0.113.8")
    assert "bloqué" in response.content.decode()
    assert Client().post(ACCESS_URL, {"code": code}).status_code == 302  # other IP


def test_an_expired_code_is_refused(guardian, settings):
    invitation, code = _letter(guardian)
    assert (
        invitation.expires_at.date()
        == (timezone.now() + datetime.timedelta(days=settings.INVITATION_CODE_VALIDITY_DAYS)).date()
    )
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().post(ACCESS_URL, {"code": code})
    assert "a expiré" in response.content.decode()


def test_printing_again_issues_a_new_code_and_the_old_one_stops_working(guardian):
    invitation, old = _letter(guardian)
    [(_same, new)] = services.invitation_letters_issue(actor=None, invitations=[invitation])
    assert old != new
    assert "pas valable" in Client().post(ACCESS_URL, {"code": old}).content.decode()
    assert Client().post(ACCESS_URL, {"code": new}).status_code == 302


def _staff_client(*permissions):
    staff = make_staff(email=f"agent{len(permissions)}@example.test")
    for codename in ("access_admin", *permissions):
        staff.user_permissions.add(Permission.objects.get(codename=codename))
    return sign_in(Client(), staff)


def test_staff_print_pending_letters_as_a_pdf(guardian):
    services.invitation_prepare_letter(actor=None, guardian=guardian)
    client = _staff_client("manage_invitations")
    listing = client.get(INVITATIONS_URL)
    assert "Imprimer la lettre en attente (PDF)" in listing.content.decode()
    response = client.post(INVITATIONS_URL, {"action": "print_pending"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    invitation = Invitation.objects.get()
    assert invitation.secret_hash and invitation.sent_at
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        assert "Paul Durand" in text and "8 rue des Lilas" in text
        code = next(
            line.strip()
            for line in text.splitlines()
            if line.count("-") == 2 and len(line.strip()) == 14
        )
        assert Client().post(ACCESS_URL, {"code": code}).status_code == 302


def test_invitations_admin_needs_the_permission(guardian):
    assert _staff_client().get(INVITATIONS_URL).status_code == 403  # the admin gate
    other_role = _staff_client("view_family")
    assert other_role.get(INVITATIONS_URL)["Location"] == "/admin/"


def test_staff_resend_an_email_invitation(guardian):
    _invite(guardian)
    client = _staff_client("manage_invitations")
    invitation = Invitation.objects.get()
    with captured_commits():
        response = client.post(
            INVITATIONS_URL, {"action": "resend", "invitation": str(invitation.public_id)}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("public_id", ["pas-un-identifiant", "", "00000000-0000-0000-0000-0"])
def test_staff_action_on_a_wrong_invitation_id_is_a_404_and_changes_nothing(guardian, public_id):
    _invite(guardian)
    client = _staff_client("manage_invitations")
    client.raise_request_exception = False
    before = list(Invitation.objects.values_list("secret_hash", "sent_at"))
    response = client.post(INVITATIONS_URL, {"action": "resend", "invitation": public_id})
    assert response.status_code == 404
    assert list(Invitation.objects.values_list("secret_hash", "sent_at")) == before


# --- The second guardian ------------------------------------------------------------------


def test_a_family_adds_the_second_guardian_to_its_file_before_inviting(client_a, family_a):
    response = client_a.get("/espace-famille/compte/inviter-le-second-responsable/")
    assert "Ajouter le second responsable au dossier" in response.content.decode()
    response = client_a.post(
        "/espace-famille/compte/inviter-le-second-responsable/",
        {"first_name": "Marc", "last_name": "Test", "email": "marc@example.test"},
    )
    assert response.status_code == 200
    assert not Guardian.objects.filter(role=Guardian.Role.PARTNER).exists()
    assert not Invitation.objects.exists()


def test_the_first_guardian_invites_the_second_who_sees_the_same_family(client_a, family_a):
    family = family_a.family
    # The conjoint is in the file (added through a validated request), without a login.
    make_guardian(family=family, role=Guardian.Role.PARTNER, first_name="Marc", last_name="Test")
    page = client_a.get("/espace-famille/compte/")
    assert "Inviter le second responsable" in page.content.decode()
    with captured_commits():
        response = client_a.post(
            "/espace-famille/compte/inviter-le-second-responsable/",
            {
                "civility": "m",
                "first_name": "Marc",
                "last_name": "Test",
                "email": "marc@example.test",
            },
        )
    assert response.status_code == 302
    partner = Guardian.objects.get(family=family, role=Guardian.Role.PARTNER)
    assert partner.user is None
    link = path_of(link_in_last_mail(r"http://testserver/espace-famille/compte/invitation/\S+"))
    _choose_password(Client(), link)
    marc = get_user_model().objects.get(email="marc@example.test")
    assert family_for_user(marc) == family
    partner.refresh_from_db()
    assert partner.user == marc and partner.email == "marc@example.test"
    marc_client = Client()
    login_post(marc_client, "marc@example.test", PASSWORD)
    assert marc_client.get("/espace-famille/").status_code == 200
    # Marc is not the responsable 1: he cannot invite anyone.
    assert (
        marc_client.get("/espace-famille/compte/inviter-le-second-responsable/").status_code == 404
    )
    # Once Marc has a login, Alice's page says so.
    assert (
        "Marc Test a son propre compte" in client_a.get("/espace-famille/compte/").content.decode()
    )
    # Marc's own page does not speak of him in the third person.
    marc_page = marc_client.get("/espace-famille/compte/").content.decode()
    assert "Marc Test a son propre compte" not in marc_page
    assert "Vous êtes le second responsable de ce dossier" in marc_page


def test_a_family_inviting_its_own_address_is_told_so_and_nothing_is_sent(client_a, family_a):
    make_guardian(family=family_a.family, role=Guardian.Role.PARTNER, first_name="Bruno")
    url = "/espace-famille/compte/inviter-le-second-responsable/"
    with captured_commits():
        response = client_a.post(
            url, {"first_name": "Bruno", "last_name": "B", "email": family_a.user.email.upper()}
        )
    assert response.status_code == 200
    assert "C&#x27;est votre propre adresse e-mail" in response.content.decode()
    assert not mail.outbox
    assert not Invitation.objects.exists()


def test_a_family_inviting_an_address_with_a_login_is_not_told_so(client_a, family_a, family_b):
    """No enumeration: same answer as a real invitation; the owner is told by e-mail."""
    make_guardian(family=family_a.family, role=Guardian.Role.PARTNER, first_name="Bruno")
    url = "/espace-famille/compte/inviter-le-second-responsable/"
    with captured_commits():
        response = client_a.post(
            url, {"first_name": "Bruno", "last_name": "B", "email": family_b.user.email.upper()}
        )
    assert response.status_code == 302
    assert response["Location"] == "/espace-famille/compte/"
    page = client_a.get(response["Location"]).content.decode()
    assert f"L&#x27;invitation a été envoyée à {family_b.user.email}" in page
    assert "déjà" not in page
    assert Guardian.objects.get(role=Guardian.Role.PARTNER).user is None
    assert not Invitation.objects.exists()
    assert mail.outbox[-1].to == [family_b.user.email]
    assert "Un compte existe déjà avec cette adresse" in mail.outbox[-1].body
    assert "/invitation/" not in mail.outbox[-1].body


def test_staff_are_told_that_an_address_already_has_a_login(family_a, family_b):
    from espace_prive.accounts.forms import StaffPartnerInviteForm

    form = StaffPartnerInviteForm(
        {
            "reference": family_a.family.reference,
            "first_name": "Bruno",
            "last_name": "B",
            "email": family_b.user.email,
        }
    )
    assert not form.is_valid()
    assert "déjà celle d" in str(form.errors["email"])


def test_staff_invite_a_second_guardian_without_email_by_letter(family_a):
    family = family_a.family
    client = _staff_client("manage_invitations")
    response = client.post(
        INVITATIONS_URL + "second-responsable/",
        {"reference": family.reference.lower(), "first_name": "Marc", "last_name": "Sans-Mail"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.channel == Invitation.Channel.LETTER
    assert invitation.guardian.role == Guardian.Role.PARTNER


def test_staff_invite_form_rejects_an_unknown_family():
    client = _staff_client("manage_invitations")
    response = client.post(
        INVITATIONS_URL + "second-responsable/",
        {"reference": "FAM-99999", "first_name": "Marc", "last_name": "X"},
    )
    assert response.status_code == 200
    assert "Aucune famille" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_search_with_a_nul_character_is_not_an_error(guardian):
    """PostgreSQL refuses NUL in a string: the filter drops it."""
    client = _staff_client("manage_invitations")
    assert client.get(INVITATIONS_URL, {"q": "a\x00b"}).status_code == 200
