"""Every error of the REST API is in French, in its one shape (issue 9.6, API side)."""

import pytest
from django.test import Client
from django.utils import translation
from rest_framework import exceptions
from rest_framework.test import APIClient

from api.exceptions import exception_handler
from tests.api.helpers import api_error

pytestmark = pytest.mark.django_db

ENGLISH_WORDS = (" the ", " not ", " is ", "field", "token", "Failed", "required", "valid ")


def _assert_french(text):
    padded = f" {text} "
    assert not any(word in padded for word in ENGLISH_WORDS), text


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data"])
def test_a_session_post_without_the_csrf_token_is_refused_in_french(family_a, content_type):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(family_a.user)
    if content_type == "application/json":
        response = browser.post("/api/v1/requests/", "{}", content_type=content_type)
    else:
        response = browser.post("/api/v1/requests/", {"section": "family_address"})
    assert response.status_code == 403
    error = api_error(response)
    assert error["code"] == "csrf_failed"
    assert error["message"].startswith("Vérification CSRF échouée : le cookie CSRF est absent")
    browser.get("/espace-famille/")  # sets the cookie; the header is still missing
    response = browser.post("/api/v1/requests/", "{}", content_type="application/json")
    assert "jeton CSRF est absent" in api_error(response)["message"]


def _responses(api_a):
    anonymous = APIClient()
    missing = "00000000-0000-0000-0000-000000000000"
    return {
        "not_authenticated": anonymous.get("/api/v1/family/"),
        "token_invalid": anonymous.get("/api/v1/family/", HTTP_AUTHORIZATION="Bearer pf_x"),
        "not_found": api_a.get(f"/api/v1/children/{missing}/"),
        "method_not_allowed": api_a.put("/api/v1/family/", {}, format="json"),
        "unsupported_media_type": api_a.post("/api/v1/requests/", "x", content_type="text/plain"),
        "not_acceptable": api_a.get("/api/v1/family/", HTTP_ACCEPT="text/csv"),
        "parse_error": api_a.post("/api/v1/requests/", "{x", content_type="application/json"),
        "invalid": api_a.post(
            "/api/v1/requests/", {"section": "nope", "child": "abc"}, format="json"
        ),
        "page": api_a.get("/api/v1/requests/?page=999"),
    }


def test_every_kind_of_refusal_is_in_french_in_the_api_shape(api_a):
    for kind, response in _responses(api_a).items():
        assert 400 <= response.status_code < 500, kind
        error = api_error(response)
        _assert_french(error["message"])
        for messages in error["fields"].values():
            for message in messages:
                _assert_french(message)
        if kind != "page":
            assert error["code"] == kind


def test_throttling_is_answered_in_french_in_the_api_shape():
    response = exception_handler(exceptions.Throttled(wait=12), {})
    assert response.status_code == 429
    assert response.data["error"] == {
        "code": "throttled",
        "message": "Requête ralentie. Disponible à nouveau dans 12 secondes.",
        "fields": {},
    }


@pytest.mark.parametrize(
    "error",
    [
        exceptions.NotAuthenticated(),
        exceptions.AuthenticationFailed(),
        exceptions.PermissionDenied(),
        exceptions.NotFound(),
        exceptions.MethodNotAllowed("PATCH"),
        exceptions.NotAcceptable(),
        exceptions.UnsupportedMediaType("text/plain"),
        exceptions.Throttled(),
    ],
    ids=lambda error: type(error).__name__,
)
def test_drf_default_messages_are_translated(error):
    with translation.override("en"):
        english = str(type(error)(*_args(error)).detail)
    message = exception_handler(error, {}).data["error"]["message"]
    assert message != english
    _assert_french(message)


def _args(error):
    if isinstance(error, exceptions.MethodNotAllowed):
        return ("PATCH",)
    if isinstance(error, exceptions.UnsupportedMediaType):
        return ("text/plain",)
    return ()


def test_a_validation_message_of_drf_itself_is_french(api_a):
    response = api_a.post("/api/v1/requests/", {}, format="json")
    assert api_error(response)["fields"] == {"section": ["Champ requis."]}
