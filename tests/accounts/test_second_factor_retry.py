"""A family that mistypes its code can type the right one straight away.

No ``no_otp_delay`` override here: the settings as deployed are what is tested.
"""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD, make_family_with_login

from .helpers import ENROL_URL, VERIFY_URL, login_post, totp_code

pytestmark = pytest.mark.django_db


def test_the_right_code_is_accepted_right_after_two_typos():
    _family, user = make_family_with_login()
    client = Client()
    login_post(client, user.email, TEST_PASSWORD)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(ENROL_URL, {"code": totp_code(device), "next": "/espace-famille/"})
    client.post("/espace-famille/compte/deconnexion/")
    login_post(client, user.email, TEST_PASSWORD)
    for typo in ("000000", "abcdefgh"):  # a wrong TOTP, then a wrong backup code
        response = client.post(VERIFY_URL, {"code": typo, "next": "/espace-famille/"})
        assert response.status_code == 200
    response = client.post(
        VERIFY_URL, {"code": totp_code(device, offset_steps=1), "next": "/espace-famille/"}
    )
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/espace-famille/"
