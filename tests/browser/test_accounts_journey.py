"""The acceptance journey: invitation e-mail → choose a password → sign in → enrol TOTP →
sign out → sign in with a code → family home, with axe on every page on the way."""

from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from espace_prive.accounts import services
from tests.accounts.helpers import link_in_last_mail, path_of, totp_code
from tests.factories import make_child, make_family, make_guardian

from .conftest import live_db

PASSWORD = "le portail de la famille Durand"


@live_db
def test_invited_guardian_creates_login_enrols_totp_and_signs_in_with_a_code(
    live_server, page, demo_site, assert_accessible
):
    family = make_family()
    guardian = make_guardian(
        family=family, first_name="Paul", last_name="Durand", email="paul@example.test"
    )
    make_child(family=family, first_name="Jules")
    services.invitation_send_email(actor=None, guardian=guardian)
    assert mail.outbox[-1].to == ["paul@example.test"]
    link = path_of(link_in_last_mail(r"http://\S+/espace-famille/compte/invitation/\S+"))

    # The link → choose a password.
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer mon compte")
    assert_accessible(page)
    page.get_by_label("Choisissez votre mot de passe").fill(PASSWORD)
    page.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()

    # Sign in.
    expect(page.get_by_text("Votre compte est prêt")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Adresse e-mail").fill("paul@example.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue Paul Durand")
    assert_accessible(page)

    # Enrol TOTP from the suggestion on the home page.
    page.get_by_role("link", name="Activer la double authentification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name="QR code à scanner")).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user__email="paul@example.test", confirmed=False)
    page.get_by_label("Code à 6 chiffres").fill(totp_code(device))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Codes de secours")
    expect(page.locator(".backup-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue Paul Durand")

    # Sign out, then in again: the code is asked after the password.
    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(live_server.url + "/")
    page.goto(live_server.url + "/espace-famille/")
    page.get_by_label("Adresse e-mail").fill("paul@example.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    assert_accessible(page)
    device.refresh_from_db()
    page.get_by_label("Code de vérification").fill("000000")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("alert")).to_contain_text("pas valable")
    assert_accessible(page)
    page.wait_for_timeout(1100)  # django-otp's one-second delay after a wrong code
    page.get_by_label("Code de vérification").fill(totp_code(device, offset_steps=1))
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(live_server.url + "/espace-famille/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue Paul Durand")
    expect(page.get_by_text("Protégez votre dossier")).to_have_count(0)
