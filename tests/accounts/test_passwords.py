import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from espace_prive.accounts import services
from espace_prive.accounts.models import AuditEvent
from tests.factories import TEST_PASSWORD

from .helpers import captured_commits, link_in_last_mail, login_post, path_of

pytestmark = pytest.mark.django_db

RESET_URL = "/espace-famille/compte/mot-de-passe-oublie/"
NEW_PASSWORD = "trois petits chats sur un toit"


@pytest.mark.parametrize(
    "password",
    ["court-11car", "qwerty123456", "password1234", "telechargement"],
)
def test_short_or_common_passwords_are_refused_in_french(password):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    text = " ".join(error.value.messages)
    assert "12 caractères" in text or "trop courant" in text


@pytest.mark.parametrize(
    "password",
    ["une phrase de passe sans chiffre", "ÉtéÀlaMer€€§§ÇàÉ", "aaaa bbbb cccc dddd"],
)
def test_long_passphrases_and_any_characters_are_accepted(password):
    validate_password(password)


def _request_reset(client, email):
    with captured_commits():
        response = client.post(RESET_URL, {"email": email})
    assert response.status_code == 302
    return response


def test_reset_sends_a_single_use_link_valid_24_hours(client, family_a, settings):
    user = family_a.user
    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 3600
    _request_reset(client, user.email)
    assert mail.outbox[-1].to == [user.email]
    assert "24 heures" in mail.outbox[-1].body
    link = path_of(
        link_in_last_mail(r"http://testserver/espace-famille/compte/mot-de-passe-oublie/\S+")
    )
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET, user=user).exists()
    # The same link again: refused, and nothing changes.
    reused = Client().get(link, follow=True)
    assert reused.status_code == 400
    assert "déjà été utilisé" in reused.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_expired_reset_link_is_refused(client, family_a, monkeypatch):
    user = family_a.user
    _request_reset(client, user.email)
    link = path_of(
        link_in_last_mail(r"http://testserver/espace-famille/compte/mot-de-passe-oublie/\S+")
    )
    later = datetime.datetime.now() + datetime.timedelta(hours=24, minutes=1)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    response = client.get(link, follow=True)
    assert response.status_code == 400
    assert "Lien non valable" in response.content.decode()


def test_reset_ends_open_sessions(family_a):
    user = family_a.user
    open_session = Client()
    login_post(open_session, user.email, TEST_PASSWORD)
    client = Client()
    _request_reset(client, user.email)
    link = path_of(
        link_in_last_mail(r"http://testserver/espace-famille/compte/mot-de-passe-oublie/\S+")
    )
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert open_session.get("/espace-famille/").status_code == 302


def test_reset_of_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = _request_reset(client, "inconnu@example.test")
    assert response["Location"] == RESET_URL + "envoye/"
    assert mail.outbox == []
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET_REQUESTED).exists()


def test_password_change_applies_the_rules(client_a):
    response = client_a.post(
        "/espace-famille/compte/mot-de-passe/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "trop-court",
            "new_password2": "trop-court",
        },
    )
    assert response.status_code == 200
    assert "12 caractères" in response.content.decode()
    # Reported under the new password, where the rules are stated (as at registration).
    errors = response.context["form"].errors
    assert "12 caractères" in " ".join(errors["new_password1"])
    assert "new_password2" not in errors


def test_a_reset_password_breaking_the_rules_is_reported_under_the_new_password(client, family_a):
    with captured_commits():
        client.post(RESET_URL, {"email": family_a.user.email})
    link = path_of(link_in_last_mail(r"http://testserver/\S+/mot-de-passe-oublie/\S+"))
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "password1234", "new_password2": "password1234"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "trop courant" in " ".join(errors["new_password1"])
    assert "new_password2" not in errors


# --- E-mail address ------------------------------------------------------------------


def test_a_new_email_address_is_used_once_confirmed(client_a, family_a):
    user = family_a.user
    with captured_commits():
        response = client_a.post(
            "/espace-famille/compte/adresse-e-mail/",
            {"new_email": "Nouvelle@Example.test", "password": TEST_PASSWORD},
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nouvelle@example.test"]
    user.refresh_from_db()
    assert user.email == "alice@example.test"  # not before the link is followed
    link = path_of(link_in_last_mail(r"http://testserver/espace-famille/compte/adresse-e-mail/\S+"))
    confirmed = Client().get(link)
    assert confirmed.status_code == 200
    user.refresh_from_db()
    assert user.email == "nouvelle@example.test" and user.email_confirmed
    # Single use.
    again = Client().get(link)
    assert again.status_code == 400
    assert "déjà été utilisé" in again.content.decode()


def test_email_change_needs_the_password_and_a_free_address(client_a, family_b):
    response = client_a.post(
        "/espace-famille/compte/adresse-e-mail/",
        {"new_email": "autre@example.test", "password": "mauvais mot de passe"},
    )
    assert "Mot de passe incorrect" in response.content.decode()
    response = client_a.post(
        "/espace-famille/compte/adresse-e-mail/",
        {"new_email": family_b.user.email, "password": TEST_PASSWORD},
    )
    assert "déjà utilisée" in response.content.decode()
    assert mail.outbox == []


def test_tampered_or_expired_confirmation_links_are_refused(family_a, settings):
    user = family_a.user
    link = services.email_confirmation_link(user=user, email="x@example.test")
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = Client().get(f"/espace-famille/compte/adresse-e-mail/confirmer/{token}x/")
    assert response.status_code == 400 and "pas valable" in response.content.decode()
    settings.EMAIL_CONFIRMATION_TIMEOUT = -1
    response = Client().get(path_of(link))
    assert response.status_code == 400 and "expiré" in response.content.decode()
    assert get_user_model().objects.get(pk=user.pk).email == user.email


@pytest.mark.parametrize(
    ("url", "field", "data"),
    [
        (
            "/espace-famille/compte/mot-de-passe/",
            "old_password",
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        ),
        ("/espace-famille/compte/adresse-e-mail/", "password", {"new_email": "n@example.test"}),
    ],
)
def test_password_confirmations_go_through_the_sign_in_lockout(
    client_a, family_a, url, field, data
):
    user = family_a.user
    for attempt in range(5):
        response = client_a.post(url, {**data, field: "mauvais mot de passe"})
        expected = "bloqué pendant 15 minutes" if attempt == 4 else "incorrect"
        assert expected in response.content.decode()
    response = client_a.post(url, {**data, field: TEST_PASSWORD})
    assert response.status_code == 200
    assert "bloqué pendant 15 minutes" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD) and user.email == "alice@example.test"
    assert mail.outbox == []
    failures = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, user=user)
    assert failures.filter(details__channel="reauth").count() == 6
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKOUT, user=user).exists()


def test_reset_answers_the_same_for_a_known_an_unknown_and_a_deactivated_address(family_a):
    user = family_a.user
    inactive = get_user_model().objects.create_user(
        email="ferme@example.test", password=TEST_PASSWORD, is_active=False
    )
    answers = {
        email: (response.status_code, response["Location"])
        for email in (user.email, "inconnu@example.test", inactive.email)
        for response in [_request_reset(Client(), email)]
    }
    assert len(set(answers.values())) == 1, answers
