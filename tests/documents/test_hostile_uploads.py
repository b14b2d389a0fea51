"""Issue 10, bad input: every hostile file is refused by every place a family sends one
in the documents and the messaging (the documents page and API, « Nous contacter », a
reply on the page and through the API), with a clear French error and nothing stored:
no row, no file in the private storage. What is only dangerous by what it carries (EXIF,
data hidden after the pixels, a misleading name) is stored cleaned, by its content.

One mechanism checks them all (``espace_prive.uploads.process_document``); the file
family and the bookings have their own walks (tests/families/test_pdf_upload_points.py,
tests/api/test_bookings_api.py)."""

import html
import io
import os
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from espace_prive.documents.models import Document
from espace_prive.messaging.models import Attachment, Message, Thread
from tests.factories import document_type, image_bytes, make_thread, uploaded
from tests.pdfs import HOSTILE_PDFS, valid_pdf

pytestmark = pytest.mark.django_db

NOT_A_DOCUMENT = "Le document doit être un PDF, une image JPEG ou une image PNG."
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

# name: (bytes, file name, content type announced by the browser, French error expected)
HOSTILE = {
    **{
        f"pdf-{name}": (make(), "attestation.pdf", "application/pdf", message)
        for name, (make, message) in HOSTILE_PDFS.items()
    },
    "html-named-pdf": (HTML, "attestation.pdf", "application/pdf", NOT_A_DOCUMENT),
    "html-named-jpg": (HTML, "photo.jpg", "image/jpeg", NOT_A_DOCUMENT),
    "svg-named-png": (SVG, "photo.png", "image/png", NOT_A_DOCUMENT),
    "svg-named-pdf": (SVG, "attestation.pdf", "application/pdf", NOT_A_DOCUMENT),
    "html-before-a-pdf": (HTML + valid_pdf(), "attestation.pdf", "application/pdf",
                          NOT_A_DOCUMENT),
    "exe-named-pdf": (b"MZ\x90\x00\x03" + b"\x00" * 60, "attestation.pdf", "application/pdf",
                      NOT_A_DOCUMENT),
    "gif-named-jpg": (b"GIF89a" + b"\x00" * 50, "photo.jpg", "image/jpeg", NOT_A_DOCUMENT),
    "truncated-jpeg": (image_bytes()[:300], "photo.jpg", "image/jpeg", NOT_A_DOCUMENT),
    "20-mb": (valid_pdf() + b"0" * 20 * 1024 * 1024, "attestation.pdf", "application/pdf",
              "5 Mo"),
    "empty": (b"", "attestation.pdf", "application/pdf", "vide"),
}  # fmt: skip

POINTS = ["documents-page", "documents-api", "contact-page", "reply-page", "reply-api"]


def _stored_files():
    root = settings.STORAGES["private"]["OPTIONS"]["location"]
    return {os.path.join(folder, name) for folder, _dirs, names in os.walk(root) for name in names}


@pytest.fixture
def api_a(family_a):
    client = APIClient()
    client.force_authenticate(family_a.user)
    return client


@pytest.fixture
def thread(family_a):
    return make_thread(family=family_a.family, actor=family_a.user)


def _send(point, *, client, api, thread, file):
    """Send ``file`` through ``point``; returns the response."""
    if point == "documents-page":
        return client.post(
            reverse("espace_prive:documents:upload"),
            {"document_type": document_type("autre").pk, "file": file},
        )
    if point == "documents-api":
        return api.post(
            reverse("api:document-list"), {"document_type": "autre", "file": file},
            format="multipart",
        )  # fmt: skip
    if point == "contact-page":
        return client.post(
            reverse("espace_prive:messaging:contact"),
            {"topic": "autre", "subject": "Pièce", "body": "Ci-joint", "attachments": [file]},
        )
    if point == "reply-page":
        return client.post(
            reverse("espace_prive:messaging:thread", args=[thread.public_id]),
            {"body": "Ci-joint", "attachments": [file]},
        )
    return api.post(
        reverse("api:thread-messages", kwargs={"public_id": thread.public_id}),
        {"body": "Ci-joint", "attachments": file},
        format="multipart",
    )


def _texts(value):
    """Every string of a JSON error (lists of texts, or per-item dicts of them)."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value
    return [text for item in items for text in _texts(item)]


def _error_text(point, response):
    if point.endswith("-api"):
        body = response.json()
        assert set(body) == {"error"}
        return " ".join(_texts(body["error"]["fields"]))
    return html.unescape(response.content.decode())


def _rows():
    return Document.objects.count(), Thread.objects.count(), Message.objects.count()


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_file_is_refused_in_french_and_nothing_is_stored(
    client_a, api_a, thread, point, hostile
):
    data, name, content_type, message = HOSTILE[hostile]
    rows, files = _rows(), _stored_files()
    response = _send(
        point, client=client_a, api=api_a, thread=thread,
        file=uploaded(data, name=name, content_type=content_type),
    )  # fmt: skip
    assert response.status_code == 400
    assert message in _error_text(point, response)
    assert _rows() == rows
    assert not Attachment.objects.exists()
    assert _stored_files() == files


def _exif():
    exif = Image.Exif()
    exif[0x010F] = "FabricantSecret"  # Make
    exif[0x0131] = "LogicielSecret"  # Software
    return exif.tobytes()


def _zip():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("facture.exe", b"MZ\x90\x00 not really")
    return archive.getvalue()


# name: (bytes, file name, format stored, bytes of the upload that must not be stored)
CLEANED = {
    "jpeg-with-exif": (image_bytes(exif=_exif()), "photo.jpg", "JPEG", b"FabricantSecret"),
    "jpeg-with-a-zip-after-it": (image_bytes() + _zip(), "photo.jpg", "JPEG", b"facture.exe"),
    "png-named-pdf": (image_bytes(image_format="PNG"), "scan.pdf", "PNG", None),
}


def _stored_bytes(point):
    if point.startswith("documents"):
        field = Document.objects.get().file
    else:
        field = Attachment.objects.get().file
    with field.open("rb") as file:
        return field.name, file.read()


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("case", CLEANED)
def test_an_image_is_stored_re_encoded_by_its_content_without_what_it_carried(
    client_a, api_a, thread, point, case
):
    data, name, image_format, secret = CLEANED[case]
    assert secret is None or secret in data
    response = _send(
        point, client=client_a, api=api_a, thread=thread,
        file=uploaded(data, name=name, content_type="application/octet-stream"),
    )  # fmt: skip
    assert response.status_code in (201, 302), response.content[:500]
    stored_name, stored = _stored_bytes(point)
    image = Image.open(io.BytesIO(stored))
    assert image.format == image_format
    assert stored_name.endswith(".jpg" if image_format == "JPEG" else ".png")
    assert not image.getexif()
    if secret is not None:
        assert secret not in stored
