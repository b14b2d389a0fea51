"""French weak passwords are refused at every place a password is set (issue 9.2)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from espace_prive.accounts import password_validators, services
from espace_prive.accounts.password_validators import core_of, town_words
from tests.factories import TEST_PASSWORD, make_family, make_guardian, make_staff

from .helpers import captured_commits, link_in_last_mail, path_of
from .test_registration import REGISTER_URL, _form

pytestmark = pytest.mark.django_db

WEAK = "motdepasse123"
STRONG = "la girafe lit trois romans au soleil"
User = get_user_model()


def _messages(password, user=None):
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    "password",
    [
        "motdepasse123",
        "Motdepasse2024!",
        "mot de passe 2024",
        "azertyuiop123",
        "AZERTYUIOP2024",
        "123456789012",
        "000000000000!",
        "soleil123456",
        "Soleil2024!!!",
        "2024-soleil-!!",
        "s0leil123456",
        "p4ssw0rd2024",
        "chocolat1234",
        "doudoudoudou",
        "Bonjour123456",
        "marseille2024",
        "jetaime123456",
        "Préférée12345",
    ],
)
def test_french_common_passwords_are_refused_even_with_digits_around(password):
    assert "trop courant" in _messages(password)


def test_the_town_name_followed_by_digits_is_refused(demo_site):
    assert "belval" in town_words("Ville de Belval")
    for password in ("Belval2026!!!", "belval123456", "VilleDeBelval1", "bélval 2026 !!"):
        assert "nom de la commune" in _messages(password), password


def test_the_users_own_names_and_email_are_refused():
    user = User(email="kevin.lemaire@example.test", first_name="Kévin", last_name="Lemaire")
    for password in ("Lemaire2024!!", "kevin.lemaire1", "KevinLemaire!!", "1234lemaire1234"):
        assert "votre nom" in _messages(password, user), password


@pytest.mark.parametrize(
    "password",
    [
        STRONG,
        "Kévin aime les trains de nuit",
        "notre nouvelle famille à Belval",
        "cerf-volant orange et 7 nuages",
        "Wq9#tL2!vR8@pM4z",
    ],
)
def test_strong_passphrases_are_accepted(password, demo_site):
    user = User(email="kevin.lemaire@example.test", first_name="Kévin", last_name="Lemaire")
    validate_password(password, user)


def test_the_core_is_the_word_without_digits_and_symbols_around():
    assert core_of(" 2024-Été !! ") == "ete"
    assert core_of("123456789012") == ""


def test_the_list_is_french_and_names_its_sources():
    words = password_validators.french_common_passwords()
    assert {"motdepasse", "azertyuiop", "soleil", "doudou", "marseille"} <= words
    readme = (password_validators.LIST_PATH.parent / "README.md").read_text()
    assert "CC BY 4.0" in readme and "MIT" in readme and "ODC-BY" in readme


# --- Every place a password is set --------------------------------------------------------


def _weak_refused(response, field="password1"):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "trop courant" in " ".join(errors[field]), errors


def test_invitation_link_refuses_a_weak_password_and_accepts_a_strong_one():
    family = make_family()
    guardian = make_guardian(family=family, first_name="Paul", email="paul@example.test")
    with captured_commits():
        services.invitation_send_email(actor=None, guardian=guardian)
    link = path_of(link_in_last_mail(r"http://testserver/espace-famille/compte/invitation/\S+"))
    client = Client()
    client.get(link, follow=True)
    url = "/espace-famille/compte/invitation/choisir-mot-de-passe/"
    _weak_refused(client.post(url, {"password1": WEAK, "password2": WEAK}))
    assert not User.objects.filter(email="paul@example.test").exists()
    assert client.post(url, {"password1": STRONG, "password2": STRONG}).status_code == 302
    assert User.objects.get(email="paul@example.test").check_password(STRONG)


def test_access_code_letter_refuses_a_weak_password_and_accepts_a_strong_one():
    guardian = make_guardian(family=make_family(), first_name="Paul", email="")
    invitation = services.invitation_prepare_letter(actor=None, guardian=guardian)
    [(_invitation, code)] = services.invitation_letters_issue(actor=None, invitations=[invitation])
    client = Client()
    client.post("/espace-famille/compte/activer/", {"code": code})
    url = "/espace-famille/compte/activer/mon-compte/"
    data = {"email": "paul@example.test", "password1": WEAK, "password2": WEAK}
    _weak_refused(client.post(url, data))
    with captured_commits():
        response = client.post(url, {**data, "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert User.objects.get(email="paul@example.test").check_password(STRONG)


def test_pre_registration_refuses_a_weak_password_and_its_own_names():
    client = Client()
    _weak_refused(client.post(REGISTER_URL, _form(password1=WEAK, password2=WEAK)))
    # No user exists yet: the names typed in the form are checked all the same.
    own = "NadiaPetit2024"
    response = client.post(REGISTER_URL, _form(password1=own, password2=own))
    assert "votre nom" in " ".join(response.context["form"].errors["password1"])
    with captured_commits():
        response = client.post(REGISTER_URL, _form(password1=STRONG, password2=STRONG))
    assert response.status_code == 302


def test_password_change_refuses_a_weak_password(client_a, family_a):
    url = "/espace-famille/compte/mot-de-passe/"
    data = {"old_password": TEST_PASSWORD, "new_password1": WEAK, "new_password2": WEAK}
    _weak_refused(client_a.post(url, data), "new_password1")
    response = client_a.post(url, {**data, "new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    family_a.user.refresh_from_db()
    assert family_a.user.check_password(STRONG)


def test_password_reset_refuses_a_weak_password(client, family_a):
    with captured_commits():
        client.post("/espace-famille/compte/mot-de-passe-oublie/", {"email": family_a.user.email})
    link = path_of(link_in_last_mail(r"http://testserver/\S+/mot-de-passe-oublie/\S+"))
    form_url = client.get(link)["Location"]
    data = {"new_password1": WEAK, "new_password2": WEAK}
    _weak_refused(client.post(form_url, data), "new_password1")
    response = client.post(form_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    family_a.user.refresh_from_db()
    assert family_a.user.check_password(STRONG)


def _admin_user_data(**overrides):
    return {
        "email": "nouvel.agent@example.test",
        "first_name": "Nouvel",
        "last_name": "Agent",
        "is_active": "on",
        "password1": WEAK,
        "password2": WEAK,
        **overrides,
    }


def test_wagtail_admin_user_creation_refuses_a_weak_password(staff_client):
    response = staff_client.post("/admin/users/new/", _admin_user_data())
    assert response.status_code == 200
    assert "trop courant" in response.content.decode()
    assert not User.objects.filter(email="nouvel.agent@example.test").exists()
    own = _admin_user_data(password1="NouvelAgent2024", password2="NouvelAgent2024")
    assert "votre nom" in staff_client.post("/admin/users/new/", own).content.decode()
    strong = _admin_user_data(password1=STRONG, password2=STRONG)
    response = staff_client.post("/admin/users/new/", strong)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(email="nouvel.agent@example.test").check_password(STRONG)


def test_wagtail_admin_user_edit_refuses_a_weak_password(staff_client):
    agent = make_staff(email="autre.agent@example.test", first_name="Autre", last_name="Agent")
    url = f"/admin/users/edit/{agent.pk}/"
    data = _admin_user_data(email=agent.email, first_name="Autre")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "trop courant" in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(TEST_PASSWORD)
    response = staff_client.post(url, {**data, "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.check_password(STRONG)


class _TTY(io.StringIO):
    def isatty(self):
        return True


def test_createsuperuser_refuses_a_weak_password(monkeypatch):
    passwords = iter([WEAK, WEAK, STRONG, STRONG])
    answers = iter(["admin@example.test", "Camille", "Roux", "n"])
    monkeypatch.setattr(createsuperuser.getpass, "getpass", lambda prompt="": next(passwords))
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    stderr = io.StringIO()
    call_command("createsuperuser", stdin=_TTY(), stdout=io.StringIO(), stderr=stderr)
    assert "trop courant" in stderr.getvalue()
    admin = User.objects.get(email="admin@example.test")
    assert admin.is_superuser and admin.check_password(STRONG)


def test_the_demo_and_test_passwords_obey_the_rules(demo_site):
    from espace_prive.accounts import demo

    passwords = [value for name, value in vars(demo).items() if name.endswith("_PASSWORD")]
    assert len(passwords) >= 6
    for password in [*passwords, TEST_PASSWORD]:
        validate_password(password, User(email="demo@example.test", first_name="Camille"))
