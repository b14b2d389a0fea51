"""Family side of requests: Liste des demandes, one request, withdrawing it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from espace_prive.demandes import services
from espace_prive.demandes.models import ChangeRequest, RequestState
from tests.factories import make_allergy_request, make_change_request, make_phone_request
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db

LIST_URL = reverse("espace_prive:demandes:list")


def _requests(persona):
    family, user, guardian, child = persona.family, persona.user, persona.guardian, persona.child
    pending = make_phone_request(family=family, guardian=guardian, actor=user)
    accepted = make_change_request(
        family=family, section="family_address", actor=user, values={"city": "Belval"}
    )
    refused = make_allergy_request(family=family, child=child, actor=user)
    old = make_change_request(
        family=family, section="family_situation", actor=user, values={"situation": "marie"}
    )
    return pending, accepted, refused, old


def test_the_list_shows_pending_and_last_months_decisions_with_state_and_reason(
    client_a, family_a, staff_user
):
    _pending, accepted, refused, old = _requests(family_a)
    services.request_accept(actor=staff_user, change_request=accepted)
    services.request_refuse(
        actor=staff_user, change_request=refused, reason="Merci de joindre le certificat."
    )
    services.request_refuse(actor=staff_user, change_request=old, reason="Trop ancien.")
    ChangeRequest.objects.filter(pk=old.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=40)
    )
    page = text(client_a.get(LIST_URL))
    assert "En attente de validation (1)" in page
    assert "Téléphones" in page
    assert "Traitées depuis un mois (2)" in page
    assert "Acceptée" in page and "Refusée" in page
    assert "Merci de joindre le certificat." in page
    assert "Trop ancien." not in page
    assert "Situation familiale" not in page


def test_decisions_are_announced_on_the_home_page_until_seen(client_a, family_a, staff_user):
    _pending, accepted, refused, _old = _requests(family_a)
    services.request_accept(actor=staff_user, change_request=accepted)
    services.request_refuse(actor=staff_user, change_request=refused, reason="Non.")
    home = text(client_a.get(reverse("espace_prive:home")))
    assert "Réponses à vos demandes" in home
    assert "Adresse du foyer" in home and "Allergies et régime alimentaire" in home
    assert "Nouveau" in text(client_a.get(LIST_URL))
    home = text(client_a.get(reverse("espace_prive:home")))
    assert "Réponses à vos demandes" not in home


def test_a_request_shows_its_diff(client_a, family_a):
    pending, *_ = _requests(family_a)
    page = text(client_a.get(reverse("espace_prive:demandes:detail", args=[pending.public_id])))
    assert "Téléphone portable" in page
    assert "Non renseigné" in page and "06 11 22 33 44" in page
    assert "Annuler cette demande" in page


def test_the_family_withdraws_a_pending_request(client_a, family_a):
    pending, *_ = _requests(family_a)
    url = reverse("espace_prive:demandes:cancel", args=[pending.public_id])
    assert "Annuler la demande" in text(client_a.get(url))
    response = client_a.post(url)
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == RequestState.CANCELLED
    # Withdrawing twice tells that it is already done.
    response = client_a.post(url, follow=True)
    assert "déjà été traitée" in text(response)


def test_only_pending_requests_offer_to_be_withdrawn_from_the_list(client_a, family_a, staff_user):
    pending, accepted, *_ = _requests(family_a)
    services.request_accept(actor=staff_user, change_request=accepted)
    page = client_a.get(reverse("espace_prive:demandes:list")).content.decode()
    assert reverse("espace_prive:demandes:cancel", args=[pending.public_id]) in page
    assert reverse("espace_prive:demandes:cancel", args=[accepted.public_id]) not in page


def test_the_confirmation_htmx_brings_into_the_list(client_a, family_a):
    """Asked by htmx, the page holds the fragment it selects, whose "no" goes back to the
    list; asked by a browser alone, "no" goes back to the request."""
    pending, *_ = _requests(family_a)
    url = reverse("espace_prive:demandes:cancel", args=[pending.public_id])
    detail = reverse("espace_prive:demandes:detail", args=[pending.public_id])
    fragment = client_a.get(url, headers={"hx-request": "true"}).content.decode()
    assert 'id="confirmation-annulation"' in fragment
    assert f'action="{url}"' in fragment
    assert f'href="{reverse("espace_prive:demandes:list")}">Non, garder' in fragment
    assert f'href="{detail}">Non, garder' in client_a.get(url).content.decode()


def test_another_family_cannot_open_the_confirmation(client_b, family_a):
    pending, *_ = _requests(family_a)
    url = reverse("espace_prive:demandes:cancel", args=[pending.public_id])
    response = client_b.get(url, headers={"hx-request": "true"})
    assert response.status_code == 404
    assert pending.subject not in response.content.decode()


def test_the_list_costs_the_same_queries_for_1_and_30_requests(client_a, family_a):
    from tests.factories import make_pickup_person, make_pickup_request

    family = family_a.family
    child = family.children.get()

    make_pickup_request(family=family, child=child)
    client_a.get(LIST_URL)  # the first request of a session records its facts
    one = count_get(client_a, LIST_URL)
    for n in range(29):
        person = make_pickup_person(child=child, first_name=f"P{n}")
        make_pickup_request(family=family, child=child, person=person)
    assert ChangeRequest.objects.count() == 30
    assert count_get(client_a, LIST_URL) == one


def test_the_list_costs_the_same_queries_for_1_and_30_requests_of_every_kind(
    client_a, family_a, staff_user
):
    from tests.factories import make_requests_of_every_kind

    family, user = family_a

    make_requests_of_every_kind(family=family, actor=user, count=1)
    client_a.get(LIST_URL)  # the first request of a session records its facts
    one = count_get(client_a, LIST_URL)
    make_requests_of_every_kind(family=family, actor=user, count=29, decider=staff_user)
    assert ChangeRequest.objects.count() == 30
    assert count_get(client_a, LIST_URL) == one
