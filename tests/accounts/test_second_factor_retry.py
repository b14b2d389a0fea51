"""A family that mistypes its code is told to wait a moment, not that the right code is
wrong. No ``no_otp_delay`` override here: django-otp's delay is on, as deployed."""

import datetime
import html

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from espace_prive.accounts.models import LoginThrottle
from tests.factories import TEST_PASSWORD, make_family_with_login

from .helpers import ENROL_URL, VERIFY_URL, login_post, totp_code

pytestmark = pytest.mark.django_db


def _enrolled_and_signed_in_again():
    _family, user = make_family_with_login()
    client = Client()
    login_post(client, user.email, TEST_PASSWORD)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(ENROL_URL, {"code": totp_code(device), "next": "/espace-famille/"})
    client.post("/espace-famille/compte/deconnexion/")
    login_post(client, user.email, TEST_PASSWORD)
    return client, user, TOTPDevice.objects.get(user=user, confirmed=True)


def _verify(client, code):
    return client.post(VERIFY_URL, {"code": code, "next": "/espace-famille/"})


def test_a_code_typed_too_soon_after_a_typo_is_told_to_wait_and_not_counted():
    client, user, device = _enrolled_and_signed_in_again()
    assert _verify(client, "000000").status_code == 200
    failures = LoginThrottle.objects.get(identifier=user.email.lower()).failures
    response = _verify(client, totp_code(device, offset_steps=1))
    assert response.status_code == 200
    assert "Trop d'essais rapprochés : attendez 1 seconde," in html.unescape(
        response.content.decode()
    )
    assert LoginThrottle.objects.get(identifier=user.email.lower()).failures == failures
    # Once the delay is over, the right code opens the session.
    device.refresh_from_db()
    device.throttling_failure_timestamp -= datetime.timedelta(seconds=5)
    device.save(update_fields=["throttling_failure_timestamp"])
    response = _verify(client, totp_code(device, offset_steps=1))
    assert response.status_code == 302 and response["Location"] == "/espace-famille/"
