"""Pré-inscriptions in the staff queue: listed with the families' requests as their own
type, reviewed on their own page (espace_prive.accounts), back to the queue afterwards."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espace_prive.accounts.models import Registration
from tests.accounts.helpers import captured_commits
from tests.conftest import sign_in
from tests.factories import (
    make_change_request,
    make_family_with_login,
    make_registration,
    make_staff_with_perms,
)
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db

QUEUE = reverse("demandes_admin:index")
REVIEW_PERMISSION = "accounts.review_registration"
VIEW_PERMISSION = "demandes.view_changerequest"


def _review(registration):
    return reverse("accounts_admin:registration", args=[registration.public_id])


@pytest.fixture
def registration():
    return make_registration(
        last_name="Petitjean",
        children=2,
        submitted_at=timezone.now() - datetime.timedelta(days=10),
    )


def test_pending_registrations_are_listed_with_the_requests_oldest_first(
    staff_client, phone_request, registration
):
    page = text(staff_client.get(QUEUE))
    assert "2 demandes" in page
    assert "Pré-inscription" in page and "2 enfants, 45000 Belval" in page
    assert page.index(registration.full_name) < page.index(phone_request.family.reference)
    assert f'href="{_review(registration)}"' in page


def test_the_queue_filters_registrations_by_type_age_and_name(
    staff_client, phone_request, registration
):
    family_ref = phone_request.family.reference
    page = text(staff_client.get(QUEUE, {"section": "pre_inscription"}))
    assert registration.full_name in page and family_ref not in page
    page = text(staff_client.get(QUEUE, {"section": "guardian_phones"}))
    assert family_ref in page and registration.full_name not in page
    page = text(staff_client.get(QUEUE, {"age": "plus-7-jours"}))
    assert registration.full_name in page and family_ref not in page
    page = text(staff_client.get(QUEUE, {"age": "moins-2-jours"}))
    assert family_ref in page and registration.full_name not in page
    page = text(staff_client.get(QUEUE, {"family": "petitjean"}))
    assert registration.full_name in page and family_ref not in page
    page = text(staff_client.get(QUEUE, {"state": "conflit"}))
    assert registration.full_name not in page


def test_the_link_in_the_queue_opens_the_review(staff_client, registration):
    page = text(staff_client.get(_review(registration)))
    assert f"Pré-inscription de {registration.full_name}" in page
    assert "Accepter : créer la famille et activer le compte" in page
    assert f'href="{QUEUE}"' in page  # the breadcrumbs lead back to the queue


def test_accepting_returns_to_the_queue_and_leaves_the_pending_list(staff_client, registration):
    with captured_commits():
        response = staff_client.post(_review(registration), {"action": "accept"})
    assert response.status_code == 302 and response["Location"] == QUEUE
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ACCEPTED
    queue = staff_client.get(response["Location"])
    page = text(queue)
    assert "Demande acceptée" in page
    assert "Aucune demande ne correspond" in page
    assert registration.full_name in text(staff_client.get(QUEUE, {"state": "acceptee"}))


def test_refusing_returns_to_the_queue_and_leaves_the_pending_list(staff_client, registration):
    with captured_commits():
        response = staff_client.post(
            _review(registration), {"action": "refuse", "reason": "Hors commune."}
        )
    assert response.status_code == 302 and response["Location"] == QUEUE
    registration.refresh_from_db()
    assert (registration.status, registration.refusal_reason) == (
        Registration.Status.REFUSED,
        "Hors commune.",
    )
    assert registration.full_name not in text(staff_client.get(QUEUE))
    refused = text(staff_client.get(QUEUE, {"state": "refusee"}))
    assert registration.full_name in refused and "Voir" in refused


def test_a_reviewer_of_registrations_sees_them_and_not_the_requests(phone_request, registration):
    reviewer = make_staff_with_perms(REVIEW_PERMISSION)
    client = sign_in(Client(), reviewer)
    page = text(client.get(QUEUE))
    assert registration.full_name in page
    assert phone_request.family.reference not in page
    assert "1 demande." in page
    # Only the type it may see is offered; the menu leads to the queue.
    assert 'value="guardian_phones"' not in page
    assert 'value="pre_inscription"' in page
    assert QUEUE in text(client.get(reverse("wagtailadmin_home")))
    # The request itself stays closed to it.
    detail = reverse("demandes_admin:detail", args=[phone_request.public_id])
    assert client.get(detail)["Location"] == reverse("wagtailadmin_home")


def test_staff_who_may_not_review_registrations_do_not_see_them(phone_request, registration):
    viewer = sign_in(Client(), make_staff_with_perms(VIEW_PERMISSION))
    page = text(viewer.get(QUEUE))
    assert phone_request.family.reference in page
    assert registration.full_name not in page
    assert 'value="pre_inscription"' not in page
    page = text(viewer.get(QUEUE, {"section": "pre_inscription"}))
    assert registration.full_name not in page
    assert viewer.get(_review(registration))["Location"] == reverse("wagtailadmin_home")


def test_staff_with_neither_permission_get_neither_the_queue_nor_the_menu(registration):
    nobody = sign_in(Client(), make_staff_with_perms(email="sans-role@example.test"))
    assert nobody.get(QUEUE).status_code == 403  # no private-area role: the admin gate
    clerk = sign_in(Client(), make_staff_with_perms("families.view_family"))
    assert clerk.get(QUEUE)["Location"] == reverse("wagtailadmin_home")
    assert QUEUE not in text(clerk.get(reverse("wagtailadmin_home")))
    clerk.post(_review(registration), {"action": "accept"})
    registration.refresh_from_db()
    assert registration.is_pending


def test_an_unknown_registration_is_denied_before_it_is_looked_up(staff_client):
    """Without the permission, an unknown id is denied like a known one (no 404 oracle)."""
    clerk = sign_in(Client(), make_staff_with_perms(VIEW_PERMISSION))
    url = reverse("accounts_admin:registration", args=["00000000-0000-4000-8000-000000000000"])
    assert clerk.get(url)["Location"] == reverse("wagtailadmin_home")
    assert staff_client.get(url).status_code == 404


def test_the_former_list_of_registrations_opens_the_queue_on_their_type(staff_client):
    response = staff_client.get(reverse("accounts_admin:registrations"), {"etat": "toutes"})
    assert response["Location"] == f"{QUEUE}?section=pre_inscription&state="
    response = staff_client.get(reverse("accounts_admin:registrations"))
    assert response["Location"] == f"{QUEUE}?section=pre_inscription&state=en_attente"


def _add_request(n):
    family, user = make_family_with_login()
    make_change_request(
        family=family, section="family_address", actor=user, values={"city": f"Belval-{n}"}
    )


@pytest.mark.parametrize("with_requests", [False, True], ids=["registrations", "mixed"])
def test_the_queue_costs_the_same_queries_for_1_and_30_registrations(
    staff_client, django_assert_max_num_queries, with_requests
):
    make_registration()
    if with_requests:
        _add_request(0)
    staff_client.get(QUEUE)  # warm up Wagtail's per-process caches
    one = count_get(staff_client, QUEUE)
    for n in range(29):
        make_registration(children=n % 3)
        if with_requests:
            _add_request(n + 1)
    assert Registration.objects.filter(status=Registration.Status.PENDING).count() == 30
    with django_assert_max_num_queries(one):
        page = text(staff_client.get(QUEUE))
    assert f"{60 if with_requests else 30} demandes" in page
    assert count_get(staff_client, QUEUE) == one
