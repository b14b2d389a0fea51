"""Every place a family sends a PDF refuses hostile ones and stores a valid one (9.3)."""

import html
import json

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from rest_framework.test import APIClient

from espace_prive.demandes.models import ChangeRequest
from tests.factories import uploaded
from tests.pdfs import HOSTILE_PDFS, valid_pdf

pytestmark = pytest.mark.django_db

CAF = {"allowance_body": "caf", "allowance_number": "123", "quotient_familial": "700"}
PAI = {"has_pai": "oui", "pai_details": "Adrénaline en cas de piqûre"}


def _pdf(data):
    return uploaded(data, "document.pdf", "application/pdf")


def _page_post(client, family, point, data):
    if point == "qf_proof":
        url = reverse("espace_prive:families:account_edit", args=["family_caf"])
        return client.post(url, {**CAF, "qf_proof": _pdf(data)})
    child = family.children.get()
    url = reverse("espace_prive:families:child_edit", args=[child.public_id, "health_pai"])
    return client.post(url, {**PAI, "pai_document": _pdf(data)})


def _api_post(user, family, point, data):
    api = APIClient()
    api.force_authenticate(user)
    if point == "qf_proof":
        body = {"section": "family_caf", "changes": json.dumps(CAF)}
    else:
        changes = {"has_pai": True, "pai_details": PAI["pai_details"]}
        body = {
            "section": "health_pai",
            "child": str(family.children.get().public_id),
            "changes": json.dumps(changes),
        }
    return api.post("/api/v1/requests/", {**body, point: _pdf(data)}, format="multipart")


POINTS = ["qf_proof", "pai_document"]


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("name", HOSTILE_PDFS)
def test_the_family_pages_refuse_a_hostile_pdf(client_a, family_a, point, name):
    make, message = HOSTILE_PDFS[name]
    response = _page_post(client_a, family_a.family, point, make())
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("name", HOSTILE_PDFS)
def test_the_api_refuses_a_hostile_pdf(family_a, point, name):
    make, message = HOSTILE_PDFS[name]
    response = _api_post(family_a.user, family_a.family, point, make())
    assert response.status_code == 400
    assert message in response.json()["error"]["fields"]["changes"][point][0]
    assert not ChangeRequest.objects.exists()


def _stored(point):
    name = ChangeRequest.objects.get().changes[point]["new"]
    with storages["private"].open(name) as file:
        return file.read()


@pytest.mark.parametrize("point", POINTS)
def test_the_family_pages_store_a_valid_pdf(client_a, family_a, point):
    data = valid_pdf()
    assert _page_post(client_a, family_a.family, point, data).status_code == 302
    assert _stored(point) == data


@pytest.mark.parametrize("point", POINTS)
def test_the_api_stores_a_valid_pdf(family_a, point):
    data = valid_pdf()
    response = _api_post(family_a.user, family_a.family, point, data)
    assert response.status_code == 201, response.json()
    assert _stored(point) == data
