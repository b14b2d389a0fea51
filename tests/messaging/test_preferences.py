"""Each guardian chooses which e-mails they receive; account e-mails are always sent."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from espace_prive.demandes.services import request_refuse
from espace_prive.documents.services import document_accept
from espace_prive.messaging import preferences, services
from tests.factories import (
    make_change_request,
    make_document,
    make_family_with_login,
    make_guardian,
    make_staff_with_perms,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def couple():
    family, sophie = make_family_with_login(email="sophie@example.test")
    marc = make_user(email="marc@example.test")
    make_guardian(family=family, user=marc, role="conjoint", email="marc.perso@example.test")
    return family, sophie, marc


def test_by_default_every_e_mail_is_wanted(couple):
    assert preferences.preferences_for(couple[1]) == {
        "messages": True,
        "requests": True,
        "documents": True,
    }


def test_a_guardian_who_turned_messages_off_is_not_e_mailed_the_other_is(
    couple, django_capture_on_commit_callbacks
):
    family, sophie, _marc = couple
    preferences.preferences_update(actor=sophie, values={"messages": False})
    agent = make_staff_with_perms(
        "messaging.view_thread", "messaging.reply_thread", "messaging.view_all_threads"
    )
    thread = make_thread(family=family, actor=sophie)
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=agent, thread=thread, body="Réponse")
    assert [m.to for m in mail.outbox] == [["marc@example.test"]]


def test_documents_and_requests_follow_the_preferences(couple, django_capture_on_commit_callbacks):
    family, sophie, marc = couple
    preferences.preferences_update(actor=marc, values={"documents": False, "requests": False})
    reviewer = make_staff_with_perms("documents.view_document", "documents.review_document")
    document = make_document(family=family, actor=sophie)
    change = make_change_request(
        family=family, section="family_address", values={"city": "Belval"}, actor=sophie
    )
    decider = make_staff_with_perms("demandes.view_changerequest", "demandes.decide_changerequest")
    with django_capture_on_commit_callbacks(execute=True):
        document_accept(actor=reviewer, document=document)
        request_refuse(actor=decider, change_request=change, reason="Adresse incomplète")
    assert [m.to for m in mail.outbox] == [["sophie@example.test"], ["sophie@example.test"]]


def test_the_account_e_mails_cannot_be_turned_off(couple):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        preferences.preferences_update(actor=couple[1], values={"account": False})
    assert preferences.wanted_addresses(["sophie@example.test"], "account") == [
        "sophie@example.test"
    ]


def test_the_preferences_page(couple):
    _family, sophie, marc = couple
    client = Client()
    client.force_login(sophie)
    url = reverse("espace_prive:messaging:preferences")
    assert "Nouveaux messages du service" in client.get(url).content.decode()
    client.post(url, {"requests": "on", "documents": "on"})
    assert preferences.preferences_for(sophie)["messages"] is False
    assert preferences.preferences_for(marc)["messages"] is True


def test_the_preferences_api(couple):
    client = APIClient()
    client.force_authenticate(couple[1])
    url = reverse("api:notification-preferences")
    assert {row["kind"] for row in client.get(url).json()} == {"messages", "requests", "documents"}
    response = client.patch(url, {"documents": False}, format="json")
    assert {r["kind"]: r["enabled"] for r in response.json()}["documents"] is False
    response = client.patch(url, {"account": False}, format="json")
    assert response.status_code == 400
    assert "account" in response.json()["error"]["fields"]
