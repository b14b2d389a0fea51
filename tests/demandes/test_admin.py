"""The staff queue in the Wagtail admin: filters, diff, accept, refuse, permissions."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.families.models import HealthAccessLog
from tests.conftest import sign_in
from tests.factories import (
    make_allergy_request,
    make_change_request,
    make_child,
    make_family_with_login,
    make_phone_request,
    make_staff_with_perms,
)
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db

QUEUE = reverse("demandes_admin:index")


def _detail(change_request):
    return reverse("demandes_admin:detail", args=[change_request.public_id])


@pytest.fixture
def allergy_request(family_b):
    return make_allergy_request(family=family_b.family, actor=family_b.user, allergies="Arachide")


def test_the_queue_lists_pending_requests_oldest_first(
    staff_client, phone_request, allergy_request
):
    ChangeRequest.objects.filter(pk=allergy_request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    page = text(staff_client.get(QUEUE))
    assert "2 demandes" in page
    assert page.index(allergy_request.family.reference) < page.index(phone_request.family.reference)


def test_the_queue_filters_by_type_age_and_family(staff_client, phone_request, allergy_request):
    ChangeRequest.objects.filter(pk=allergy_request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    a_ref, b_ref = phone_request.family.reference, allergy_request.family.reference
    page = text(staff_client.get(QUEUE, {"section": "guardian_phones"}))
    assert a_ref in page and b_ref not in page
    page = text(staff_client.get(QUEUE, {"age": "plus-7-jours"}))
    assert b_ref in page and a_ref not in page
    page = text(staff_client.get(QUEUE, {"age": "moins-2-jours"}))
    assert a_ref in page and b_ref not in page
    guardian_b = allergy_request.family.guardians.get()
    page = text(staff_client.get(QUEUE, {"family": guardian_b.last_name}))
    assert b_ref in page and a_ref not in page
    page = text(staff_client.get(QUEUE, {"family": a_ref}))
    assert a_ref in page and b_ref not in page


def test_decided_requests_leave_the_default_queue(staff_client, staff_user, phone_request):
    from espace_prive.demandes import services

    services.request_refuse(actor=staff_user, change_request=phone_request, reason="Non.")
    assert "Aucune demande ne correspond" in text(staff_client.get(QUEUE))
    assert "Aucune demande ne correspond" in text(staff_client.get(QUEUE, {"p": "1"}))
    assert phone_request.family.reference in text(staff_client.get(QUEUE, {"state": "refusee"}))


def test_the_detail_shows_the_diff_and_accepting_applies_it(
    staff_client, phone_request, django_capture_on_commit_callbacks
):
    page = text(staff_client.get(_detail(phone_request)))
    assert "Téléphone portable" in page and "06 11 22 33 44" in page
    assert "Accepter et appliquer" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(_detail(phone_request), {"action": "accepter"})
    assert response.status_code == 302
    phone_request.refresh_from_db()
    assert phone_request.state == RequestState.ACCEPTED
    assert phone_request.guardian.mobile_phone == "06 11 22 33 44"
    assert len(mail.outbox) == 1


def test_refusing_without_a_reason_shows_an_error(staff_client, phone_request):
    response = staff_client.post(_detail(phone_request), {"action": "refuser", "reason": ""})
    assert response.status_code == 400
    phone_request.refresh_from_db()
    assert phone_request.state == RequestState.PENDING
    response = staff_client.post(
        _detail(phone_request), {"action": "refuser", "reason": "Numéro incomplet."}
    )
    assert response.status_code == 302
    phone_request.refresh_from_db()
    assert (phone_request.state, phone_request.reason) == (
        RequestState.REFUSED,
        "Numéro incomplet.",
    )


def test_the_detail_warns_when_the_data_changed_meanwhile(staff_client, phone_request):
    guardian = phone_request.guardian
    guardian.mobile_phone = "07 77 77 77 77"
    guardian.save()
    page = text(staff_client.get(_detail(phone_request)))
    assert "modifiée depuis la demande" in page
    staff_client.post(_detail(phone_request), {"action": "accepter"})
    phone_request.refresh_from_db()
    assert phone_request.state == RequestState.CONFLICT
    guardian.refresh_from_db()
    assert guardian.mobile_phone == "07 77 77 77 77"


def test_a_quotient_is_accepted_with_its_validity(staff_client, family_a):
    from django.core.files.base import ContentFile

    from tests.factories import MINIMAL_PDF

    family = family_a.family
    change_request = make_change_request(
        family=family,
        section="family_caf",
        values={"quotient_familial": 700, "qf_proof": ContentFile(MINIMAL_PDF, name="a.pdf")},
    )
    page = text(staff_client.get(_detail(change_request)))
    assert "Quotient familial valable du" in page
    staff_client.post(
        _detail(change_request),
        {"action": "accepter", "qf_valid_from": "2026-01-01", "qf_valid_to": "2026-12-31"},
    )
    family.refresh_from_db()
    assert family.qf_valid_to == datetime.date(2026, 12, 31)


def test_the_staff_sees_the_new_photo_before_accepting(staff_client, family_a):
    from django.core.files.base import ContentFile

    from tests.factories import image_bytes

    child = family_a.child
    change_request = make_change_request(
        family=family_a.family,
        section="child_photo",
        child=child,
        values={"photo": ContentFile(image_bytes(), name="photo.jpg")},
    )
    page = text(staff_client.get(_detail(change_request)))
    file_url = _detail(change_request) + "fichier/photo/"
    assert f'<img src="{file_url}"' in page
    photo = staff_client.get(file_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_health_requests_need_the_health_permission_and_are_logged(allergy_request):
    child = allergy_request.child
    decider = sign_in(
        Client(),
        make_staff_with_perms("demandes.view_changerequest", "demandes.decide_changerequest"),
    )
    page = text(decider.get(_detail(allergy_request)))
    assert "Arachide" not in page
    assert "données sanitaires" in page
    assert "Accepter et appliquer" not in page
    assert not HealthAccessLog.objects.exists()
    response = decider.post(_detail(allergy_request), {"action": "accepter"})
    allergy_request.refresh_from_db()
    assert allergy_request.state == RequestState.PENDING
    assert response.status_code == 302

    nurse = make_staff_with_perms(
        "demandes.view_changerequest",
        "demandes.decide_changerequest",
        "families.view_health_record",
    )
    page = text(sign_in(Client(), nurse).get(_detail(allergy_request)))
    assert "Arachide" in page
    log = HealthAccessLog.objects.get()
    assert (log.child, log.user, log.context) == (child, nurse, HealthAccessLog.Context.REQUEST)


def test_staff_without_permission_is_turned_away(phone_request):
    nobody = sign_in(Client(), make_staff_with_perms(email="sans-role@example.test"))
    assert nobody.get(QUEUE).status_code == 403  # no private-area role: the admin gate
    clerk = sign_in(Client(), make_staff_with_perms("families.view_family"))
    for url in (QUEUE, _detail(phone_request)):
        response = clerk.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    response = clerk.post(_detail(phone_request), {"action": "accepter"})
    phone_request.refresh_from_db()
    assert phone_request.state == RequestState.PENDING


def test_a_viewer_cannot_decide(phone_request):
    viewer = sign_in(Client(), make_staff_with_perms("demandes.view_changerequest"))
    page = text(viewer.get(_detail(phone_request)))
    assert "06 11 22 33 44" in page
    assert "Accepter et appliquer" not in page
    viewer.post(_detail(phone_request), {"action": "accepter"})
    phone_request.refresh_from_db()
    assert phone_request.state == RequestState.PENDING


def test_the_queue_costs_the_same_queries_for_1_and_30_requests(staff_client):
    family, user = make_family_with_login()
    make_change_request(
        family=family, section="family_address", actor=user, values={"city": "Belval"}
    )
    staff_client.get(QUEUE)  # warm up Wagtail's per-process caches
    one = count_get(staff_client, QUEUE)
    for n in range(29):
        family, user = make_family_with_login()
        kind = n % 3
        if kind == 0:
            make_change_request(
                family=family, section="family_address", actor=user, values={"city": "Belval"}
            )
        elif kind == 1:
            child = make_child(family=family, first_name=f"Enfant-{n}")
            make_allergy_request(family=family, child=child, actor=user)
        else:
            make_phone_request(family=family, actor=user, mobile_phone="06 00 00 00 01")
    assert ChangeRequest.objects.filter(state=RequestState.PENDING).count() == 30
    assert count_get(staff_client, QUEUE) == one


@pytest.mark.parametrize("query", ["", "?state=", "?state=acceptee"])
def test_the_queue_costs_the_same_queries_for_1_and_30_requests_of_every_kind(
    staff_client, staff_user, query
):
    from tests.factories import make_requests_of_every_kind

    family, user = make_family_with_login()
    [first] = make_requests_of_every_kind(family=family, actor=user, count=1)
    if "acceptee" in query:
        from espace_prive.demandes.services import request_accept

        request_accept(actor=staff_user, change_request=first)
    staff_client.get(QUEUE + query)  # warm up Wagtail's per-process caches
    one = count_get(staff_client, QUEUE + query)
    for _n in range(5):
        family, user = make_family_with_login()
        make_requests_of_every_kind(family=family, actor=user, count=6, decider=staff_user)
    assert ChangeRequest.objects.count() == 31
    assert count_get(staff_client, QUEUE + query) == one
