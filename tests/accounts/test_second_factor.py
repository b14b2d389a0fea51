import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from espace_prive.accounts.models import AuditEvent
from tests.factories import TEST_PASSWORD, make_family_with_login, make_staff

from .helpers import ENROL_URL, VERIFY_URL, login_post, totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_otp_delay")]

QR_URL = "/espace-famille/compte/double-authentification/qr-code.svg"
CODES_URL = "/espace-famille/compte/double-authentification/codes-de-secours/"
DISABLE_URL = "/espace-famille/compte/double-authentification/desactiver/"


@pytest.fixture
def no_otp_delay():
    """django-otp delays a device after each failure; our lockout is what is tested."""
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0):
        yield


def _enrol(client, user):
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENROL_URL, {"code": totp_code(device), "next": "/espace-famille/"})
    assert response.status_code == 302, response.content.decode()
    return TOTPDevice.objects.get(user=user, confirmed=True)


def _signed_in_family():
    _family, user = make_family_with_login()
    client = Client()
    login_post(client, user.email, TEST_PASSWORD)
    return client, user


def test_home_suggests_two_factor_until_it_is_enabled():
    client, user = _signed_in_family()
    assert "Protégez votre dossier" in client.get("/espace-famille/").content.decode()
    _enrol(client, user)
    assert "Protégez votre dossier" not in client.get("/espace-famille/").content.decode()


def test_enrolment_shows_a_qr_code_drawn_by_the_portal_and_the_secret():
    client, user = _signed_in_family()
    page = client.get(ENROL_URL).content.decode()
    assert f'src="{QR_URL}"' in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    assert secret[:4] + " " + secret[4:8] in page
    qr = client.get(QR_URL)
    assert qr["Content-Type"] == "image/svg+xml"
    assert "no-store" in qr["Cache-Control"]
    assert qr.content.startswith(b"<svg") or b"<svg" in qr.content[:200]


def test_a_wrong_code_does_not_enable_it():
    client, user = _signed_in_family()
    client.get(ENROL_URL)
    response = client.post(ENROL_URL, {"code": "123456"})
    assert "ne correspond pas" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_enrolment_gives_ten_single_use_backup_codes_shown_once():
    client, user = _signed_in_family()
    _enrol(client, user)
    page = client.get(CODES_URL)
    codes = page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(CODES_URL).context["codes"] is None  # shown once
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_ENABLED, user=user).exists()
    # A backup code replaces the app's code once, and only once.
    again = Client()
    login_post(again, user.email, TEST_PASSWORD)
    assert again.get("/espace-famille/")["Location"].startswith(VERIFY_URL)
    assert again.post(VERIFY_URL, {"code": codes[0].upper()}).status_code == 302
    assert again.get("/espace-famille/").status_code == 200
    third = Client()
    login_post(third, user.email, TEST_PASSWORD)
    response = third.post(VERIFY_URL, {"code": codes[0]})
    assert response.status_code == 200 and "pas valable" in response.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_a_family_with_two_factor_must_type_a_code_after_the_password():
    client, user = _signed_in_family()
    device = _enrol(client, user)
    client.post("/espace-famille/compte/deconnexion/")
    login_post(client, user.email, TEST_PASSWORD)
    response = client.get("/espace-famille/")
    assert response["Location"] == f"{VERIFY_URL}?next=%2Fespace-famille%2F"
    assert client.get("/espace-famille/compte/").status_code == 302
    response = client.post(
        VERIFY_URL, {"code": totp_code(device, offset_steps=1), "next": "/espace-famille/"}
    )
    assert response["Location"] == "/espace-famille/"
    assert client.get("/espace-famille/").status_code == 200


def test_verification_gives_a_new_session_key():
    client, user = _signed_in_family()
    device = _enrol(client, user)
    client.post("/espace-famille/compte/deconnexion/")
    login_post(client, user.email, TEST_PASSWORD)
    before = client.session.session_key
    client.post(VERIFY_URL, {"code": totp_code(device, offset_steps=1)})
    assert client.session.session_key != before


def test_five_wrong_codes_lock_the_code_check_for_that_ip():
    client, user = _signed_in_family()
    device = _enrol(client, user)
    attacker = Client()
    login_post(attacker, user.email, TEST_PASSWORD, ip="203.0.113.5")
    for _ in range(5):
        attacker.post(VERIFY_URL, {"code": "000000"}, REMOTE_ADDR="203.0.113.5")
    response = attacker.post(
        VERIFY_URL, {"code": totp_code(device, offset_steps=1)}, REMOTE_ADDR="203.0.113.5"
    )
    assert "bloqué pendant 15 minutes" in response.content.decode()
    assert attacker.get("/espace-famille/", REMOTE_ADDR="203.0.113.5").status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKOUT, user=user).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_FAILED, user=user).count() == 6


def test_turning_it_off_needs_the_password_again():
    client, user = _signed_in_family()
    _enrol(client, user)
    response = client.post(DISABLE_URL, {"password": "mauvais mot de passe"})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=user).exists()
    response = client.post(DISABLE_URL, {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.OTP_DISABLED, user=user).exists()


def test_staff_cannot_turn_it_off(staff_client, staff_user):
    response = staff_client.post(DISABLE_URL, {"password": TEST_PASSWORD})
    assert "obligatoire pour le personnel" in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff_user).exists()


def test_enrolling_a_new_phone_replaces_the_old_one():
    client, user = _signed_in_family()
    first = _enrol(client, user)
    client.get(ENROL_URL)
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(ENROL_URL, {"code": totp_code(pending)})
    assert list(TOTPDevice.objects.filter(user=user)) == [pending]
    assert not TOTPDevice.objects.filter(pk=first.pk).exists()


def test_staff_without_device_is_sent_to_enrol_from_the_family_area_too():
    staff = make_staff(email="agent-famille@example.test", superuser=True)
    client = Client()
    login_post(client, staff.email, TEST_PASSWORD)
    assert client.get("/espace-famille/")["Location"].startswith(ENROL_URL)


def test_turning_it_off_goes_through_the_sign_in_lockout_and_the_journal():
    client, user = _signed_in_family()
    _enrol(client, user)
    for attempt in range(5):
        response = client.post(DISABLE_URL, {"password": "mauvais mot de passe"})
        expected = "bloqué pendant 15 minutes" if attempt == 4 else "Mot de passe incorrect"
        assert expected in response.content.decode()
    response = client.post(DISABLE_URL, {"password": TEST_PASSWORD})
    assert "bloqué pendant 15 minutes" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    failures = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, user=user)
    assert failures.filter(details__channel="reauth").count() == 6
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKOUT, user=user).exists()
    # The same pair (account, IP) is locked for signing in too; another IP is not.
    assert "bloqué" in login_post(Client(), user.email, TEST_PASSWORD).content.decode()
    assert login_post(Client(), user.email, TEST_PASSWORD, ip="192.0.2.9").status_code == 302


def test_confirming_a_device_already_confirmed_elsewhere_is_a_clear_error():
    """Two tabs posting the same enrolment: the second gets a message, not a 500."""
    from django.test import RequestFactory

    from espace_prive.accounts import services

    client, user = _signed_in_family()
    client.get(ENROL_URL)
    pending = TOTPDevice.objects.get(user=user, confirmed=False)
    request = RequestFactory().post(ENROL_URL)
    request.session = client.session
    TOTPDevice.objects.filter(pk=pending.pk).update(confirmed=True)  # the other tab won
    with pytest.raises(services.InvalidCode, match="déjà été confirmée"):
        services.totp_enrol_confirm(
            request=request, user=user, device=pending, code=totp_code(pending)
        )
    assert not StaticToken.objects.filter(device__user=user).exists()
