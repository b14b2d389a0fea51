"""Axe on the other account pages, signed out and signed in, on a phone-sized screen."""

import pytest
from playwright.sync_api import expect

from espace_prive.accounts import services
from tests.factories import make_family, make_guardian

from .conftest import live_db

PUBLIC_PAGES = [
    ("/espace-famille/compte/connexion/", "Connexion à l'espace famille"),
    ("/espace-famille/compte/mot-de-passe-oublie/", "Mot de passe oublié"),
    ("/espace-famille/compte/activer/", "Activer mon compte avec un code d'accès"),
    ("/espace-famille/compte/pre-inscription/", "Demande de pré-inscription"),
    ("/espace-famille/compte/invitation/lien-inconnu/", "Invitation non valable"),
    ("/espace-famille/compte/mot-de-passe-oublie/MQ/mauvais-jeton/", "Lien non valable"),
]


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    return page


@live_db
@pytest.mark.parametrize(("path", "title"), PUBLIC_PAGES)
def test_public_account_pages_are_accessible(
    live_server, phone, demo_site, assert_accessible, path, title
):
    phone.goto(live_server.url + path)
    expect(phone.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(phone)


@live_db
def test_form_errors_are_announced_and_accessible(live_server, phone, demo_site, assert_accessible):
    phone.goto(live_server.url + "/espace-famille/compte/pre-inscription/")
    phone.get_by_role("button", name="Envoyer ma demande").click()
    expect(phone.get_by_role("alert")).to_contain_text("Le formulaire contient")
    assert_accessible(phone)


@live_db
def test_signed_in_account_pages_are_accessible(
    live_server, phone, demo_site, login_as, assert_accessible
):
    from tests.factories import make_family_with_login

    _family, user = make_family_with_login(email="compte@example.test")
    login_as(user)
    for path, title in [
        ("/espace-famille/compte/", "Connexion et sécurité"),
        ("/espace-famille/compte/mot-de-passe/", "Changer de mot de passe"),
        ("/espace-famille/compte/adresse-e-mail/", "Changer d'adresse e-mail"),
        ("/espace-famille/compte/double-authentification/", "Double authentification"),
        ("/espace-famille/compte/inviter-le-second-responsable/", "Inviter le second responsable"),
        ("/espace-famille/mon-compte/", "Mon compte"),
    ]:
        phone.goto(live_server.url + path)
        expect(phone.get_by_role("heading", level=1)).to_have_text(title)
        assert_accessible(phone)


@live_db
def test_letter_activation_and_registration_status_pages(
    live_server, phone, demo_site, assert_accessible
):
    family = make_family(address="1 rue", postcode="45000", city="Belval")
    guardian = make_guardian(family=family, first_name="Léa", last_name="Sans-Mail")
    invitation = services.invitation_prepare_letter(actor=None, guardian=guardian)
    [(_invitation, code)] = services.invitation_letters_issue(actor=None, invitations=[invitation])
    phone.goto(live_server.url + "/espace-famille/compte/activer/")
    phone.get_by_label("Code d'accès").fill(code)
    phone.get_by_role("button", name="Continuer").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Créer mon compte")
    assert_accessible(phone)
    phone.get_by_label("Votre adresse e-mail").fill("lea@example.test")
    phone.get_by_label("Choisissez votre mot de passe").fill("une phrase de passe pour Léa")
    phone.get_by_label("Confirmez le mot de passe").fill("une phrase de passe pour Léa")
    phone.get_by_role("button", name="Créer mon compte").click()
    expect(phone.get_by_text("Votre compte est créé")).to_be_visible()


@live_db
def test_self_registration_then_status_page(live_server, phone, demo_site, assert_accessible):
    phone.goto(live_server.url + "/espace-famille/compte/pre-inscription/")
    phone.locator("#id_first_name").fill("Nadia")
    phone.locator("#id_last_name").fill("Petit")
    phone.locator("#id_email").fill("nadia@example.test")
    phone.locator("#id_address").fill("21 avenue de la Gare")
    phone.locator("#id_postcode").fill("45000")
    phone.locator("#id_city").fill("Belval")
    phone.get_by_label("Prénom de l'enfant 1").fill("Yanis")
    phone.get_by_role("textbox", name="Nom de l'enfant 1", exact=True).fill("Petit")
    phone.get_by_label("Date de naissance de l'enfant 1").fill("2019-04-02")
    phone.get_by_label("Choisissez un mot de passe").fill("notre nouvelle famille à Belval")
    phone.get_by_label("Confirmez le mot de passe").fill("notre nouvelle famille à Belval")
    phone.get_by_role("button", name="Envoyer ma demande").click()
    # The same answer whether or not the address has a login: sign in to follow it.
    expect(phone.get_by_text("Votre demande est enregistrée")).to_be_visible()
    assert_accessible(phone)
    phone.locator("#id_username").fill("nadia@example.test")
    phone.locator("#id_password").fill("notre nouvelle famille à Belval")
    phone.get_by_role("button", name="Se connecter").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ma demande de pré-inscription")
    expect(phone.get_by_text("En cours d'examen")).to_be_visible()
    assert_accessible(phone)
