import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from espace_prive.accounts.models import ApiToken, AuditEvent
from espace_prive.accounts.security import token_hash
from tests.accounts.helpers import totp_code
from tests.api.helpers import api_error
from tests.factories import TEST_PASSWORD, make_staff

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"


def _obtain(client, email, password=TEST_PASSWORD, ip="127.0.0.1", **extra):
    return client.post(
        TOKEN_URL, {"email": email, "password": password, **extra}, format="json", REMOTE_ADDR=ip
    )


def _bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_a_family_obtains_a_short_lived_token_stored_hashed(family_a, settings):
    user = family_a.user
    response = _obtain(APIClient(), user.email)
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "Bearer" and body["token"].startswith("pf_")
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(body["token"]) and body["token"] not in str(
        ApiToken.objects.values().get()
    )
    lifetime = token.expires_at - token.created_at
    assert lifetime == datetime.timedelta(minutes=settings.API_TOKEN_TTL_MINUTES)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.API_TOKEN_CREATED, user=user).exists()


def test_the_token_authenticates_api_requests(family_a):
    user = family_a.user
    token = _obtain(APIClient(), user.email).json()["token"]
    response = _bearer(token).get(TOKEN_URL)
    assert response.status_code == 200
    assert response.json()["email"] == family_a.user.email
    anonymous = APIClient().get(TOKEN_URL)
    assert anonymous.status_code == 401 and api_error(anonymous)["code"] == "not_authenticated"


def test_wrong_credentials_give_a_json_error_in_french(family_a):
    response = _obtain(APIClient(), family_a.user.email, "mauvais mot de passe")
    assert response.status_code == 401
    error = api_error(response)
    assert error["code"] == "invalid_credentials"
    assert "mot de passe incorrect" in error["message"]
    assert not ApiToken.objects.exists()


def test_bad_input_lists_the_fields():
    response = APIClient().post(TOKEN_URL, {"email": "pas-un-email"}, format="json")
    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "invalid" and set(error["fields"]) == {"email", "password"}


def test_a_body_that_is_not_json_gets_a_french_error():
    response = APIClient().post(TOKEN_URL, "{pas du json", content_type="application/json")
    assert response.status_code == 400
    error = api_error(response)
    assert error["code"] == "parse_error"
    assert error["message"] == "Le corps de la requête n'est pas lisible : envoyez un JSON valide."


def test_the_lockout_applies_to_the_token_endpoint(family_a):
    user = family_a.user
    for _ in range(5):
        _obtain(APIClient(), user.email, "mauvais mot de passe", ip="203.0.113.2")
    response = _obtain(APIClient(), user.email, ip="203.0.113.2")
    assert response.status_code == 429
    assert api_error(response)["code"] == "locked"
    assert _obtain(APIClient(), user.email, ip="198.51.100.2").status_code == 201


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_a_user_with_two_factor_must_send_a_code(family_a):
    user = family_a.user
    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    missing = _obtain(APIClient(), user.email)
    assert missing.status_code == 401 and api_error(missing)["code"] == "otp_required"
    wrong = _obtain(APIClient(), user.email, otp_code="000000")
    assert wrong.status_code == 401 and api_error(wrong)["code"] == "otp_invalid"
    assert _obtain(APIClient(), user.email, otp_code=totp_code(device)).status_code == 201


def test_staff_must_enrol_a_second_factor_before_getting_a_token():
    staff = make_staff(email="agent-api@example.test", superuser=True)
    response = _obtain(APIClient(), staff.email)
    assert response.status_code == 403
    assert api_error(response)["code"] == "otp_enrolment_required"


def test_revoke_with_delete(family_a):
    token = _obtain(APIClient(), family_a.user.email).json()["token"]
    client = _bearer(token)
    assert client.delete(TOKEN_URL).status_code == 204
    response = client.get(TOKEN_URL)
    assert response.status_code == 401
    assert api_error(response)["code"] == "token_revoked"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.API_TOKEN_REVOKED).count() == 1


def test_revoke_with_post(family_a):
    token = _obtain(APIClient(), family_a.user.email).json()["token"]
    assert _bearer(token).post(REVOKE_URL).status_code == 204
    assert ApiToken.objects.get().revoked_at is not None
    again = _bearer(token).post(REVOKE_URL)
    assert again.status_code == 401 and api_error(again)["code"] == "token_revoked"


def test_revoking_needs_a_token():
    response = APIClient().delete(TOKEN_URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(family_a):
    token = _obtain(APIClient(), family_a.user.email).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = _bearer(token).get(TOKEN_URL)
    assert response.status_code == 401 and api_error(response)["code"] == "token_expired"


@pytest.mark.parametrize("header", ["Bearer pf_inconnu", "Bearer", "Bearer a b"])
def test_wrong_tokens_are_refused(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(TOKEN_URL)
    assert response.status_code == 401
    assert api_error(response)["code"] == "token_invalid"


def test_a_deactivated_user_token_stops_working(family_a, staff_user):
    from espace_prive.accounts import services

    user = family_a.user
    token = _obtain(APIClient(), user.email).json()["token"]
    services.user_deactivate(actor=staff_user, user=user)
    assert _bearer(token).get(TOKEN_URL).status_code == 401


def test_an_applicant_gets_no_token():
    from tests.factories import make_registration

    response = _obtain(APIClient(), make_registration().user.email)
    assert response.status_code == 403 and api_error(response)["code"] == "registration_pending"


def test_the_openapi_schema_describes_the_token_endpoints(client_a):
    schema = client_a.get("/api/schema/?format=json").json()
    assert "/api/v1/auth/token/" in schema["paths"]
    assert "/api/v1/auth/token/revoke/" in schema["paths"]
    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert set(operation["responses"]) >= {"201", "400", "401", "403", "429"}
    scheme = schema["components"]["securitySchemes"]["jetonApi"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    revoke = schema["paths"]["/api/v1/auth/token/"]["delete"]
    assert {"jetonApi": []} in revoke["security"]


def test_a_stale_token_in_the_header_does_not_prevent_obtaining_a_new_one(family_a):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer pf_perime")
    assert _obtain(client, family_a.user.email).status_code == 201
