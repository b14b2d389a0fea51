"""What every REST API test reads: a client signed in as someone, the one error shape."""

from rest_framework.test import APIClient


def api_client(user):
    """An API client authenticated as ``user`` (no token: the session scheme's stand-in)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_error(response):
    """The ``error`` object of an API error response, after checking the one shape every
    error has (``{"error": {"code", "message", "fields"}}``)."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]
