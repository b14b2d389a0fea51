"""REST API of the documents and the messaging: same rules as the pages, JSON errors in
French, nothing stored on bad input."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from espace_prive.documents.models import Document
from espace_prive.documents.services import document_accept
from espace_prive.messaging import services as messaging
from espace_prive.messaging.models import Message, Thread
from tests.api.helpers import api_error
from tests.factories import (
    MINIMAL_PDF,
    make_document,
    make_staff_with_perms,
    make_thread,
    uploaded,
)

pytestmark = pytest.mark.django_db


def test_document_types_are_listed(api_a):
    codes = [row["code"] for row in api_a.get(reverse("api:document-type-list")).json()]
    assert "attestation_assurance" in codes and "autre" in codes


def test_upload_list_detail_download(api_a, family_a):
    child = family_a.child
    response = api_a.post(
        reverse("api:document-list"),
        {"document_type": "attestation_assurance", "child": str(child.public_id),
         "file": uploaded(MINIMAL_PDF, name="assurance.pdf")},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "en_attente" and body["child"] == str(child.public_id)
    listed = api_a.get(reverse("api:document-list")).json()["results"]
    assert [row["public_id"] for row in listed] == [body["public_id"]]
    download = api_a.get(reverse("api:document-file", kwargs={"public_id": body["public_id"]}))
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == MINIMAL_PDF


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"document_type": "autre", "file": ("x.pdf", b"<html></html>")}, "file", "PDF"),
        ({"document_type": "autre", "file": ("x.pdf", MINIMAL_PDF + b"0" * 20 * 1024 * 1024)},
         "file", "5 Mo"),
        ({"document_type": "passeport", "file": ("x.pdf", MINIMAL_PDF)}, "document_type", "existe"),
    ],
    ids=["html", "20mb", "unknown-type"],
)  # fmt: skip
def test_bad_documents_get_a_french_json_error_and_nothing_is_stored(api_a, data, field, text):
    name, content = data["file"]
    payload = {**data, "file": uploaded(content, name=name)}
    response = api_a.post(reverse("api:document-list"), payload, format="multipart")
    assert response.status_code == 400
    error = api_error(response)
    assert text in " ".join(error["fields"][field])
    assert not Document.objects.exists()


def test_replace_and_an_accepted_document_is_not_deleted(api_a, family_a):
    document = make_document(family=family_a.family, actor=family_a.user)
    document_accept(
        actor=make_staff_with_perms("documents.view_document", "documents.review_document"),
        document=document,
    )
    url = reverse("api:document-detail", kwargs={"public_id": document.public_id})
    response = api_a.delete(url)
    assert (
        response.status_code == 400
        and "remplacer" in api_error(response)["fields"]["non_field_errors"][0]
    )
    response = api_a.post(
        reverse("api:document-replace", kwargs={"public_id": document.public_id}),
        {"file": uploaded(MINIMAL_PDF, name="nouveau.pdf")},
        format="multipart",
    )
    assert response.status_code == 201
    assert Document.objects.get(public_id=response.json()["public_id"]).supersedes == document


def test_threads_with_unread_counts_and_replies(api_a, family_a):
    response = api_a.post(
        reverse("api:thread-list"),
        {"subject": "Cantine", "topic": "restauration", "body": "Bonjour"},
        format="json",
    )
    assert response.status_code == 201, response.content
    thread = Thread.objects.get(public_id=response.json()["public_id"])
    agent = make_staff_with_perms(
        "messaging.view_thread", "messaging.reply_thread", "messaging.view_all_threads"
    )
    messaging.message_post(actor=agent, thread=thread, body="Réponse")
    [row] = api_a.get(reverse("api:thread-list")).json()["results"]
    assert row["unread_count"] == 1
    messages_url = reverse("api:thread-messages", kwargs={"public_id": thread.public_id})
    assert [m["from_service"] for m in api_a.get(messages_url).json()] == [False, True]
    assert (
        api_a.post(reverse("api:thread-read", kwargs={"public_id": thread.public_id})).status_code
        == 204
    )
    assert api_a.get(reverse("api:thread-list")).json()["results"][0]["unread_count"] == 0
    response = api_a.post(
        messages_url,
        {"body": "Merci", "attachments": [uploaded(MINIMAL_PDF, name="piece.pdf")]},
        format="multipart",
    )
    assert response.status_code == 201
    [attachment] = response.json()["attachments"]
    assert api_a.get(attachment["url"]).status_code == 200


@pytest.mark.parametrize("body", ["", "x" * 100_000], ids=["empty", "100000"])
def test_bad_messages_get_a_french_json_error(api_a, family_a, body):
    thread = make_thread(family=family_a.family, actor=family_a.user)
    url = reverse("api:thread-messages", kwargs={"public_id": thread.public_id})
    response = api_a.post(url, {"body": body}, format="json")
    assert response.status_code == 400
    assert "body" in api_error(response)["fields"]
    assert Message.objects.count() == 1


def test_another_family_s_thread_and_document_are_404(api_a, family_b):
    thread = make_thread(family=family_b.family, actor=family_b.user)
    document = make_document(family=family_b.family, actor=family_b.user)
    for url in (
        reverse("api:thread-messages", kwargs={"public_id": thread.public_id}),
        reverse("api:document-detail", kwargs={"public_id": document.public_id}),
    ):
        response = api_a.get(url)
        assert response.status_code == 404 and api_error(response)["code"] == "not_found"


def test_the_routes_are_in_the_openapi_schema(api_a):
    schema = APIClient().get(reverse("api:schema"), {"format": "json"}).json()
    for path in (
        "/api/v1/documents/",
        "/api/v1/documents/{public_id}/replace/",
        "/api/v1/document-types/",
        "/api/v1/threads/",
        "/api/v1/threads/{public_id}/messages/",
        "/api/v1/threads/{public_id}/read/",
    ):
        assert path in schema["paths"], path
