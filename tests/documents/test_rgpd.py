"""RGPD: the family's documents and messages are in its export, and go with the
anonymisation (files included)."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.storage import storages

from espace_prive import rgpd
from espace_prive.documents.models import Document
from espace_prive.families.models import Family
from espace_prive.messaging import services as messaging
from espace_prive.messaging.models import Attachment, Message, Thread
from tests.factories import MINIMAL_PDF, make_document, make_thread, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_documents_and_messages(family_a):
    family, user = family_a
    old = make_document(family=family, actor=user, code="avis_imposition")
    from espace_prive.documents.services import document_upload

    document_upload(actor=user, family=family, document_type=None, replaces=old,
                    file=uploaded(MINIMAL_PDF, name="nouveau.pdf"))  # fmt: skip
    thread = messaging.thread_start(
        actor=user, family=family, subject="Sortie", topic="autre", body="Texte du message",
        attachments=[uploaded(MINIMAL_PDF, name="piece.pdf")],
    )  # fmt: skip
    make_thread(family=family, actor=user, subject="Autre question")
    return family, user, thread


def test_the_export_holds_documents_messages_and_their_files(with_documents_and_messages):
    family, user, _thread = with_documents_and_messages
    archive = zipfile.ZipFile(io.BytesIO(rgpd.family_export_zip(actor=user, family=family)))
    data = json.loads(archive.read("donnees.json"))
    assert len(data["documents"]) == 2
    assert data["documents"][1]["replaces"] == data["documents"][0]["public_id"]
    assert {t["subject"] for t in data["messages"]} == {"Sortie", "Autre question"}
    [sortie] = [t for t in data["messages"] if t["subject"] == "Sortie"]
    assert sortie["messages"][0]["body"] == "Texte du message"
    names = archive.namelist()
    for path in [d["file"] for d in data["documents"]] + sortie["messages"][0]["attachments"]:
        assert path in names and archive.read(path) == MINIMAL_PDF


def test_anonymisation_deletes_documents_messages_and_files(
    with_documents_and_messages, staff_user, django_capture_on_commit_callbacks
):
    family, _user, _thread = with_documents_and_messages
    files = list(Document.objects.values_list("file", flat=True)) + list(
        Attachment.objects.values_list("file", flat=True)
    )
    assert files and all(storages["private"].exists(name) for name in files)
    Family.objects.filter(pk=family.pk).update(left_on=datetime.date(2026, 7, 1))
    family.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        rgpd.family_anonymise(actor=staff_user, family=family)
    assert not Document.objects.filter(family=family).exists()
    assert not Thread.objects.filter(family=family).exists()
    assert not Message.objects.exists()
    assert not any(storages["private"].exists(name) for name in files)
