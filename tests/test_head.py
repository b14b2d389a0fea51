"""Every page that answers GET answers HEAD with the same status and no body (9.8).

The routes are read from the URL resolver (public site, espace famille, admin, API), so
a route added later is walked too: as an anonymous visitor, as a family on the family's
routes (with the family's own ids, from the isolation walk), as staff in the admin.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from tests.conftest import sign_in
from tests.families.test_isolation import _url, our_routes

pytestmark = pytest.mark.django_db

# GET on these changes the session (signing out): walked by their own tests.
SKIPPED = ("logout", "deconnexion")


def _parameterless_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _parameterless_routes(entry, inner.strip(":"))
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groupindex:
            name = f"{namespace}:{entry.name}".strip(":")
            try:
                yield name, reverse(name)
            except NoReverseMatch:  # unnamed groups: not a page one links to
                continue


def _client_for(path, family_user, staff_user):
    client = Client(raise_request_exception=False)
    if path.startswith("/admin/"):
        return sign_in(client, staff_user)
    if path.startswith(("/espace-famille/", "/api/v1/")):
        client.force_login(family_user)
    return client


def _same_answer(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code, (
        f"{path}: GET {got.status_code}, HEAD {head.status_code}"
    )
    body = b"".join(head.streaming_content) if head.streaming else head.content
    assert body == b"", path
    if got.status_code == 200 and not getattr(got, "streaming", False):
        assert head["Content-Type"] == got["Content-Type"], path
    return got.status_code


def test_every_parameterless_route_answers_head_like_get(demo_site, family_a, staff_user):
    statuses = {}
    for name, path in sorted(set(_parameterless_routes())):
        if any(word in name for word in SKIPPED):
            continue
        statuses[path] = _same_answer(_client_for(path, family_a.user, staff_user), path)
    # The walk reached the four parts of the site and found pages that answer.
    assert any(p.startswith("/admin/") for p in statuses)
    assert any(p.startswith("/espace-famille/") for p in statuses)
    assert any(p.startswith("/api/") for p in statuses)
    assert sum(status == 200 for status in statuses.values()) > 50


def test_the_public_home_page_answers_head(demo_site):
    assert _same_answer(Client(), "/") == 200


def test_the_family_routes_with_ids_answer_head_like_get(secrets_of_a, client_a):
    walked = 0
    for _name, params, route in our_routes():
        if not params:
            continue
        _same_answer(client_a, _url(route, secrets_of_a))
        walked += 1
    assert walked > 10


def test_a_get_only_view_answered_405_to_head_before(client_a):
    """The family's requests list is ``@require_GET``: without the middleware, 405."""
    response = client_a.head(reverse("espace_prive:demandes:list"))
    assert response.status_code == 200 and response.content == b""
