"""Plausible data wherever a child is proposed (issue 9.5): a birth date of a child of the
services (0 to 20 years, never in the future), and the same child not proposed twice."""

import datetime
import html
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from espace_prive.demandes.models import ChangeRequest

from ..accounts.test_registration import REGISTER_URL, _form

pytestmark = pytest.mark.django_db

ADD_URL = "espace_prive:families:child_add"
TOO_OLD = "jusqu'à 20 ans"


def _years_ago(years, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def _add(client, birth_date, first_name="Zoé"):
    data = {"last_name": "Test", "first_name": first_name, "birth_date": birth_date.isoformat()}
    return client.post(reverse(ADD_URL), data)


def test_a_child_older_than_20_is_refused_and_a_young_one_accepted(client_a):
    response = _add(client_a, _years_ago(20, days=1))
    assert response.status_code == 400
    assert TOO_OLD in html.unescape(response.content.decode())
    assert not ChangeRequest.objects.exists()
    assert _add(client_a, _years_ago(20)).status_code == 302


def test_the_same_child_proposed_twice_while_pending_is_refused(client_a):
    birth = _years_ago(4)
    assert _add(client_a, birth).status_code == 302
    response = _add(client_a, birth, first_name="ZOÉ")
    assert response.status_code == 400
    assert "déjà en attente de validation" in html.unescape(response.content.decode())
    assert ChangeRequest.objects.count() == 1
    assert _add(client_a, birth, first_name="Jade").status_code == 302  # a twin


def test_the_api_refuses_an_implausible_child_in_french(family_a):
    api = APIClient()
    api.force_authenticate(family_a.user)
    changes = {"last_name": "Test", "first_name": "Zoé", "birth_date": "1995-03-01"}
    response = api.post(
        "/api/v1/requests/",
        {"section": "child_new", "operation": "ajout", "changes": changes},
        format="json",
    )
    assert response.status_code == 400
    assert TOO_OLD in json.dumps(response.json(), ensure_ascii=False)


def test_the_pre_registration_refuses_a_child_older_than_20(client):
    old = _years_ago(25).strftime("%d/%m/%Y")
    response = client.post(REGISTER_URL, _form(child_2_birth_date=old))
    assert response.status_code == 200
    assert TOO_OLD in " ".join(response.context["form"].errors["child_2_birth_date"])
