"""No private response is stored: every route of the espace famille, of the REST API
(/api/v1/) and of the admin answers with ``Cache-Control: no-store, private``, whoever
asks (nobody, a family, staff) and whatever the answer (page, JSON, fragment, file,
redirect, 4xx, 5xx, the CSRF failure page). The public site keeps its cache headers.

The routes come from the URL resolver (``tests.routes``): a route added later is walked
too.
"""

import pytest
from django.http import Http404
from django.test import Client
from django.urls import include, path
from rest_framework.test import APIClient

from tests.conftest import sign_in
from tests.routes import routes_under, url_of

pytestmark = pytest.mark.django_db

PRIVATE_PREFIXES = ("espace-famille/", "api/v1/", "admin/")
API_METHODS = ("get", "post", "put", "patch", "delete")


def _stored_anywhere(response):
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in response.get("Cache-Control", "").split(",")
    }
    return not {"no-store", "private"} <= directives


def _personas(family_a, staff_user):
    """Fresh clients for each request: a route (the logout) may end the session. A view
    that fails answers a 500 (Wagtail's /admin/failwhale/ does, on purpose), walked too."""
    family_user = family_a.user

    def anonymous(api):
        return (APIClient if api else Client)(raise_request_exception=False)

    def family(api):
        client = anonymous(api)
        client.force_login(family_user)
        return client

    def staff(api):
        return sign_in(anonymous(api), staff_user)

    return {"anonyme": anonymous, "famille": family, "agent": staff}


def test_the_walk_covers_the_three_areas(secrets_of_a):
    routes = routes_under(PRIVATE_PREFIXES)
    names = {route.name for route in routes}
    assert {
        "espace_prive:home",
        "espace_prive:families:child_photo",
        "espace_prive:accounts:login",
        "api:child-photo",
        "api:auth-token",
        "families_admin:sheet_complete",
        "demandes_admin:file",
        "wagtailadmin_home",
    } <= names
    assert len(routes) > 300


def test_every_private_route_answers_no_store_to_everyone(secrets_of_a, family_a, staff_user):
    missing = []
    walked = 0
    personas = _personas(family_a, staff_user)
    for route in routes_under(PRIVATE_PREFIXES):
        url = url_of(route, secrets_of_a["ids"], strict=False)
        api = route.path.startswith("api/")
        if route.path.startswith("admin/"):
            methods = ("get",)  # a POST there as staff could delete the objects walked
        else:
            methods = API_METHODS if api else ("get", "post")
        for persona, make_client in personas.items():
            for method in methods:
                response = getattr(make_client(api), method)(url)
                walked += 1
                if _stored_anywhere(response):
                    missing.append(
                        f"{persona} {method.upper()} {url} → {response.status_code} "
                        f"Cache-Control: {response.get('Cache-Control')!r}"
                    )
            if not api and not route.path.startswith("admin/") and persona == "famille":
                response = make_client(api).get(url, headers={"HX-Request": "true"})
                if _stored_anywhere(response):
                    missing.append(f"{persona} htmx GET {url} → {response.status_code}")
    assert not missing, "\n".join(missing)
    assert walked > 1000


@pytest.mark.parametrize(
    "url", ["/espace-famille/inexistant/", "/api/v1/inexistant/", "/admin/inexistant/"]
)
def test_an_unknown_private_url_is_a_404_not_stored(client_a, staff_client, url):
    for client in (Client(), client_a, staff_client):
        response = client.get(url)
        assert response.status_code in (302, 404), (url, response.status_code)
        assert not _stored_anywhere(response), (url, response.get("Cache-Control"))


def test_the_csrf_failure_page_is_not_stored(family_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(family_a.user)
    response = client.post("/espace-famille/compte/adresse-e-mail/", {"email": "x@example.test"})
    assert response.status_code == 403
    assert not _stored_anywhere(response)


def _boom(request):
    raise RuntimeError("panne")


def _gone(request):
    raise Http404("Introuvable.")


urlpatterns = [
    path("espace-famille/panne/", _boom),
    path("api/v1/panne/", _boom),
    path("admin/panne/", _boom),
    path("espace-famille/disparu/", _gone),
    path("", include("cms.urls")),
]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/espace-famille/panne/", 500),
        ("/api/v1/panne/", 500),
        ("/admin/panne/", 500),
        ("/espace-famille/disparu/", 404),
    ],
)
def test_a_server_error_or_a_404_raised_by_a_view_is_not_stored(settings, url, status):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == status
    assert not _stored_anywhere(response)


def test_public_pages_and_the_content_api_keep_their_cache_headers(client, demo_site):
    for url in ("/", "/api/v2/pages/"):
        first = client.get(url)
        assert first.status_code == 200, url
        assert "no-store" not in first.get("Cache-Control", ""), url
        assert first["X-Public-Cache"] == "miss", url
        assert client.get(url)["X-Public-Cache"] == "hit", url
