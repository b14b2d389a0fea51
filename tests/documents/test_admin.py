"""The staff's review of documents in the Wagtail admin."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from espace_prive.documents.models import ReviewState
from tests.conftest import sign_in
from tests.factories import make_document, make_staff_with_perms
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db


def client_for(*perms):
    return sign_in(Client(), make_staff_with_perms(*perms))


REVIEWER = ("documents.view_document", "documents.review_document")


def test_the_queue_lists_pending_documents_with_filters(family_a):
    family, user = family_a
    pending = make_document(family=family, actor=user, code="avis_imposition")
    client = client_for(*REVIEWER)
    page = text(client.get(reverse("documents_admin:index")))
    assert reverse("documents_admin:detail", args=[pending.public_id]) in page
    page = text(client.get(reverse("documents_admin:index"), {"state": "accepte"}))
    assert reverse("documents_admin:detail", args=[pending.public_id]) not in page


def test_accept_and_refuse_from_the_admin(family_a, django_capture_on_commit_callbacks):
    family, user = family_a
    first = make_document(family=family, actor=user)
    second = make_document(family=family, actor=user)
    client = client_for(*REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents_admin:detail", args=[first.public_id]), {"action": "accepter"}
        )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == ReviewState.ACCEPTED and len(mail.outbox) == 1
    url = reverse("documents_admin:detail", args=[second.public_id])
    response = client.post(url, {"action": "refuser", "reason": ""})
    assert response.status_code == 400
    client.post(url, {"action": "refuser", "reason": "Document illisible"})
    second.refresh_from_db()
    assert second.state == ReviewState.REFUSED and second.reason == "Document illisible"


def test_a_health_document_stays_closed_without_the_health_permission(family_a):
    family, user = family_a
    health = make_document(
        family=family, actor=user, code="carnet_vaccination", child=family.children.get()
    )
    client = client_for(*REVIEWER)
    assert reverse("documents_admin:detail", args=[health.public_id]) not in text(
        client.get(reverse("documents_admin:index"))
    )
    # Wagtail turns the refusal into a redirect to the dashboard, with nothing of it.
    for name in ("documents_admin:detail", "documents_admin:file"):
        response = client.get(reverse(name, args=[health.public_id]))
        assert response.status_code in (302, 403)
        assert "Carnet" not in text(response)
    cleared = client_for(*REVIEWER, "families.view_health_record")
    response = cleared.get(reverse("documents_admin:file", args=[health.public_id]))
    assert response.status_code == 200
    assert family.children.get().health_accesses.count() == 1


def test_viewing_without_reviewing_shows_no_decision(family_a):
    document = make_document(family=family_a.family, actor=family_a.user)
    client = client_for("documents.view_document")
    url = reverse("documents_admin:detail", args=[document.public_id])
    assert "Accepter le document" not in text(client.get(url))
    client.post(url, {"action": "accepter"})
    document.refresh_from_db()
    assert document.state == ReviewState.PENDING


def test_staff_without_the_permission_see_no_document(family_a):
    document = make_document(family=family_a.family, actor=family_a.user)
    client = client_for("families.view_family")
    for url in (
        reverse("documents_admin:index"),
        reverse("documents_admin:detail", args=[document.public_id]),
        reverse("documents_admin:file", args=[document.public_id]),
        reverse("documents_admin:family", args=[family_a.family.public_id]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert str(document.public_id) not in response.content.decode()


def test_a_family_s_documents_for_staff(family_a):
    document = make_document(family=family_a.family, actor=family_a.user)
    url = reverse("documents_admin:family", args=[family_a.family.public_id])
    page = text(client_for(*REVIEWER).get(url))
    assert reverse("documents_admin:detail", args=[document.public_id]) in page


def test_the_queue_costs_the_same_for_1_or_30_documents(family_a):
    from tests.factories import make_child

    family, user = family_a
    make_document(family=family, actor=user)
    client = client_for(*REVIEWER, "families.view_health_record")
    url = reverse("documents_admin:index")
    count_get(client, url)
    one = count_get(client, url)
    for _ in range(29):
        make_document(
            family=family, actor=user, code="carnet_vaccination", child=make_child(family=family)
        )
    assert count_get(client, url) == one
