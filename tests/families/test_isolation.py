"""Family B walks every page and API route of the family file with family A's ids.

The routes are read from the URL resolver, so a route added later is walked too; a
route with a parameter this test does not know fails it until it is classified here.
"""

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from espace_prive.demandes.models import ChangeRequest
from espace_prive.families.models import Child, Family, Guardian, HealthRecord
from tests.factories import (
    MINIMAL_PDF,
    image_bytes,
    make_change_request,
    make_pickup_person,
)

pytestmark = pytest.mark.django_db

# Modules whose routes belong to the family file and its requests.
OUR_MODULES = (
    "espace_prive.views",
    "espace_prive.families.views",
    "espace_prive.demandes.views",
    "api.families.views",
)
# Routes with an object of a family in their path; the rest are the family's own lists.
SECTION_FOR_ROUTE = {
    "account_edit": "family_bank",
    "guardian_edit": "guardian_phones",
    "child_edit": "health_allergies",
}
OBJECT_PARAMS = {"child_id", "guardian_id", "person_id", "request_id", "public_id", "family_id"}
# The staff side of the same apps (Wagtail admin): a family never enters it.
STAFF_MODULES = ("espace_prive.families.admin_views", "espace_prive.demandes.admin_views")
API_METHODS = ("get", "post", "put", "patch", "delete")
PUBLIC_ROUTES = {"espace_prive:families:preregistration_sheet"}


def _module_of(callback):
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    return (view_class or callback).__module__


def our_routes(resolver=None, namespace="", modules=OUR_MODULES):
    """(namespaced name, parameter names, callback) of every route of our modules."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from our_routes(entry, inner.strip(":"), modules)
        elif isinstance(entry, URLPattern) and _module_of(entry.callback).startswith(modules):
            name = f"{namespace}:{entry.name}".strip(":")
            yield name, tuple(entry.pattern.regex.groupindex), entry.callback


@pytest.fixture
def secrets_of_a(family_a):
    """Family A, with distinctive values that must never reach family B."""
    family, user = family_a
    Family.objects.filter(pk=family.pk).update(
        reference="SECRET-A-0001",
        address="1 allée Confidentielle",
        iban="FR1420041010050500013M02606",
        qf_proof=storages["private"].save("qf/a.pdf", ContentFile(MINIMAL_PDF)),
    )
    guardian = family.guardians.get()
    Guardian.objects.filter(pk=guardian.pk).update(
        last_name="Cachalotte", mobile_phone="06 66 66 66 66"
    )
    child = family.children.get()
    Child.objects.filter(pk=child.pk).update(
        first_name="Zéphyrine",
        photo=storages["private"].save("enfants/a.jpg", ContentFile(image_bytes())),
    )
    HealthRecord.objects.create(
        child=child,
        allergies="Mangoustan",
        has_pai=True,
        pai_document=storages["private"].save("pai/a.pdf", ContentFile(MINIMAL_PDF)),
    )
    person = make_pickup_person(child=child, first_name="Philibert", last_name="Gardien")
    family.refresh_from_db()
    guardian.refresh_from_db()
    child.refresh_from_db()
    change_request = make_change_request(
        family=family,
        section="child_photo",
        child=child,
        actor=user,
        values={"photo": ContentFile(image_bytes(size=(60, 60)), name="photo.jpg")},
    )
    ids = {
        "child_id": child.public_id,
        "guardian_id": guardian.public_id,
        "person_id": person.public_id,
        "request_id": change_request.public_id,
        "field": "photo",
        "family_id": family.public_id,
    }
    api_ids = {
        "guardian": guardian.public_id,
        "child": child.public_id,
        "request": change_request.public_id,
    }
    words = [
        "SECRET-A-0001",
        "Confidentielle",
        "FR1420041010",
        "FR14 2004",
        "Cachalotte",
        "06 66 66 66 66",
        "Zéphyrine",
        "Mangoustan",
        "Philibert",
        str(child.public_id),
        str(change_request.public_id),
    ]
    return {"ids": ids, "api_ids": api_ids, "words": words}


def _kwargs(name, params, secrets):
    kwargs = {}
    for param in params:
        if param == "section_key":
            kwargs[param] = SECTION_FOR_ROUTE[name.rsplit(":", 1)[-1]]
        elif param == "public_id":
            basename = name.rsplit(":", 1)[-1].split("-")[0]
            kwargs[param] = secrets["api_ids"][basename]
        elif param in secrets["ids"]:
            kwargs[param] = secrets["ids"][param]
        else:
            pytest.fail(f"Route {name} has a parameter {param!r} this test does not know yet.")
    return kwargs


def _readable(response):
    """Everything a response says, zip members and streamed files included."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if response.get("Content-Type") == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(body))
        body = b"".join(archive.read(name) for name in archive.namelist())
    return body.decode("utf-8", errors="replace")


def test_every_route_is_walked(secrets_of_a):
    names = {name for name, _params, _callback in our_routes()}
    # A sample of what must be there: if the walk found nothing, the test would be empty.
    assert {
        "espace_prive:home",
        "espace_prive:families:child",
        "espace_prive:families:child_photo",
        "espace_prive:families:child_sheet_complete",
        "espace_prive:demandes:detail",
        "espace_prive:demandes:file",
        "api:child-detail",
        "api:child-health-record",
        "api:request-detail",
        "api:request-cancel",
    } <= names
    assert len(names) >= 30


def test_family_b_gets_404_and_nothing_of_family_a_on_every_route(secrets_of_a, family_b, family_a):
    page_client = Client()
    page_client.force_login(family_b[1])
    api_client = APIClient()
    api_client.force_authenticate(family_b[1])
    before = ChangeRequest.objects.count()
    walked = 0
    for name, params, _callback in our_routes():
        if name in PUBLIC_ROUTES:
            continue
        client = api_client if name.startswith("api:") else page_client
        url = reverse(name, kwargs=_kwargs(name, params, secrets_of_a))
        for method in API_METHODS if name.startswith("api:") else ("get", "post"):
            response = getattr(client, method)(url, {"mobile_phone": "07 00 00 00 00"})
            walked += 1
            content = _readable(response)
            for word in secrets_of_a["words"]:
                assert word not in content, f"{method.upper()} {url} shows {word!r}"
            if set(params) & OBJECT_PARAMS:
                # An object of family A in the path: as if it did not exist.
                assert response.status_code in (404, 405), (method, url, response.status_code)
                if name.startswith("api:") and response.status_code == 404:
                    assert json.loads(content)["error"]["code"] == "not_found"
    assert walked >= 100
    assert ChangeRequest.objects.count() == before  # nothing was created for anybody
    family_a[0].refresh_from_db()
    assert family_a[0].reference == "SECRET-A-0001"


def test_family_a_itself_reaches_those_routes(secrets_of_a, client_a, family_a):
    """The control: the same ids work for their owner, so the 404s above mean isolation."""
    api_client = APIClient()
    api_client.force_authenticate(family_a[1])
    for name, params, _callback in our_routes():
        if not set(params) & OBJECT_PARAMS:
            continue
        client = api_client if name.startswith("api:") else client_a
        url = reverse(name, kwargs=_kwargs(name, params, secrets_of_a))
        response = client.get(url)
        expected = (405,) if name == "api:request-cancel" else (200,)
        assert response.status_code in expected, (url, response.status_code)


def test_the_staff_routes_of_the_same_apps_are_walked_too(secrets_of_a):
    names = {name for name, _params, _callback in our_routes(modules=STAFF_MODULES)}
    assert {
        "families_admin:family",
        "families_admin:anonymise",
        "families_admin:health",
        "demandes_admin:detail",
        "demandes_admin:file",
    } <= names


def test_family_b_never_enters_the_staff_routes(secrets_of_a, family_b, family_a):
    """As a family (not staff), every admin route of the family file and of the requests
    sends to the login, with none of family A's data, and changes nothing."""
    client = Client()
    client.force_login(family_b[1])
    before = ChangeRequest.objects.count()
    walked = 0
    for name, params, _callback in our_routes(modules=STAFF_MODULES):
        url = reverse(name, kwargs=_kwargs(name, params, secrets_of_a))
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, {"confirm": "SECRET-A-0001", "action": "accepter", "reason": "x"}
            )
            walked += 1
            assert response.status_code in (302, 403), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"], (url, response["Location"])
            content = _readable(response)
            for word in secrets_of_a["words"]:
                assert word not in content, f"{method.upper()} {url} shows {word!r}"
    assert walked >= 20
    assert ChangeRequest.objects.count() == before
    family_a[0].refresh_from_db()
    assert family_a[0].anonymised_at is None
