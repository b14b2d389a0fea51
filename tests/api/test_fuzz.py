"""Fuzzing the REST API (issue 9.11): schemathesis sends generated requests, valid and
invalid, to every operation of the OpenAPI schema as a signed-in family, and checks that
no response is a 5xx, every 4xx is in the API's error shape, and every response conforms
to the schema (status code, content type, body, headers).

Operations are read from the live schema (/api/schema/): a new route is fuzzed without a
line of test. ``FUZZ_EXAMPLES`` sets the examples per operation: ten in the suite (fast
in CI, the coverage phase off), a hundred and the coverage phase with ``make fuzz``.
"""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import RequestFactory
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from espace_prive.accounts import services as account_services
from tests.factories import make_child, make_family_with_login, make_pickup_person

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
ERROR_KEYS = {"code", "message", "fields"}
_REQUEST = RequestFactory().get("/")


@schemathesis.check
def error_in_the_api_shape(ctx, response, case):
    """Every 4xx is ``{"error": {"code": str, "message": str, "fields": {...}}}``."""
    if not 400 <= response.status_code < 500:
        return None
    try:
        body = response.json()
    except ValueError as error:
        raise AssertionError(f"{response.status_code} sans corps JSON") from error
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict) and set(error) == ERROR_KEYS, body
    assert isinstance(error["code"], str) and error["code"], body
    assert isinstance(error["message"], str) and error["message"], body
    assert isinstance(error["fields"], dict), body
    return None


@pytest.fixture
def _connection_kept():
    """Django closes the connection at the end of each request (as Django's test client
    avoids): in a test, that is the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def family(db, _connection_kept):
    persona = make_family_with_login(email="fuzz@example.test", children=2)
    make_pickup_person(child=persona.family.children.first())
    make_child(family=persona.family, first_name="Zoé")
    return persona


def _live_schema():
    """The schema /api/schema/ serves, built without a request (no database needed at
    collection); requests go to the project's WSGI application, in process."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    # The coverage phase (boundary values, missing and malformed parameters of every
    # operation, a few hundred requests) runs with ``make fuzz``; the suite stays fast.
    loaded.config.phases.coverage.enabled = EXAMPLES > 10
    return loaded


schema = _live_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 10,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_as_a_signed_in_family(case, family):
    user = family.user
    # A token of its own for each request: the revoke operation must not lock the
    # others out.
    secret, _token = account_services.api_token_create(request=_REQUEST, user=user)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {secret}"},
        # Whether a schema-valid request is accepted depends on rules the schema cannot
        # say (an unknown e-mail, a file's content, a section's own fields), and a form
        # field's "0" is a boolean to DRF as to browsers: neither is checked.
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )
