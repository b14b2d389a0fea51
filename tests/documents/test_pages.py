"""The family's documents pages: list, send, replace, withdraw, download."""

import pytest
from django.urls import reverse
from django.utils import timezone

from espace_prive.documents import services
from espace_prive.documents.models import Document, ReviewState
from tests.factories import (
    MINIMAL_PDF,
    document_type,
    make_child,
    make_document,
    make_staff_with_perms,
    uploaded,
)
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"espace_prive:documents:{name}", args=args)


def test_sending_a_document_from_the_page(client_a, family_a):
    family = family_a.family
    response = client_a.post(
        url("upload"),
        {
            "document_type": document_type("avis_imposition").pk,
            "file": uploaded(MINIMAL_PDF, name="avis.pdf", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(family=family)
    assert document.state == ReviewState.PENDING
    page = text(client_a.get(url("list")))
    assert "Avis d'imposition" in page and "En attente de vérification" in page


def test_a_bad_file_gets_a_french_error_next_to_the_field(client_a):
    response = client_a.post(
        url("upload"),
        {
            "document_type": document_type("autre").pk,
            "file": uploaded(b"<svg><script>1</script></svg>", name="x.pdf"),
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Le formulaire contient 1 erreur" in page
    assert "Le document doit être un PDF, une image JPEG ou une image PNG." in page
    assert not Document.objects.exists()


def test_an_unknown_type_is_refused(client_a):
    response = client_a.post(
        url("upload"), {"document_type": "999999", "file": uploaded(MINIMAL_PDF, name="a.pdf")}
    )
    assert response.status_code == 400
    assert "Ce type de document n'existe pas." in text(response)


def test_the_download_is_an_attachment_never_cached(client_a, family_a):
    document = make_document(family=family_a.family, actor=family_a.user, code="avis_imposition")
    response = client_a.get(url("file", document.public_id))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="avis-dimposition.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_replace_and_the_accepted_one_cannot_be_deleted(client_a, family_a):
    family, user = family_a
    document = make_document(family=family, actor=user)
    services.document_accept(
        actor=make_staff_with_perms("documents.view_document", "documents.review_document"),
        document=document,
    )
    page = text(client_a.get(url("list")))
    assert url("replace", document.public_id) in page
    assert url("delete", document.public_id) not in page
    response = client_a.post(url("delete", document.public_id))
    assert response.status_code == 400
    assert Document.objects.filter(pk=document.pk).exists()
    response = client_a.post(
        url("replace", document.public_id), {"file": uploaded(MINIMAL_PDF, name="new.pdf")}
    )
    assert response.status_code == 302
    new = Document.objects.get(supersedes=document)
    assert new.document_type == document.document_type
    page = text(client_a.get(url("list")))
    assert url("file", new.public_id) in page and url("file", document.public_id) not in page


def test_a_pending_document_can_be_deleted(client_a, family_a):
    document = make_document(family=family_a.family, actor=family_a.user)
    assert client_a.post(url("delete", document.public_id)).status_code == 302
    assert not Document.objects.exists()


def test_expired_and_expiring_documents_are_announced(client_a, family_a):
    family, user = family_a
    today = timezone.localdate()
    make_document(family=family, actor=user, expires_on=today - timezone.timedelta(days=3))
    make_document(family=family, actor=user, expires_on=today + timezone.timedelta(days=5))
    page = text(client_a.get(url("list")))
    assert "1 document expiré" in page
    assert "arrive bientôt à expiration" in page


def test_another_family_s_document_is_a_404(client_b, family_a):
    document = make_document(family=family_a.family, actor=family_a.user)
    for name in ("file", "replace", "delete"):
        assert client_b.get(url(name, document.public_id)).status_code == 404
    assert client_b.post(url("delete", document.public_id)).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_the_list_and_the_home_cost_the_same_for_1_or_30_documents(client_a, family_a):
    family, user = family_a
    make_document(family=family, actor=user)
    (
        count_get(client_a, url("list")),
        count_get(client_a, reverse("espace_prive:home")),
    )  # warm caches
    list_one, home_one = (
        count_get(client_a, url("list")),
        count_get(client_a, reverse("espace_prive:home")),
    )
    for _ in range(29):
        make_document(
            family=family, actor=user, code="carnet_vaccination", child=make_child(family=family)
        )
    assert count_get(client_a, url("list")) == list_one
    assert count_get(client_a, reverse("espace_prive:home")) == home_one
