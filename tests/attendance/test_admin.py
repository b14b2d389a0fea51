"""The daily list, the tablet register and their scoping in the Wagtail admin."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from espace_prive.attendance.models import Mark, MarkState, Register
from espace_prive.bookings.models import Absence, AbsenceDeclaration, AbsenceReason
from espace_prive.families.models import HealthAccessLog
from tests.conftest import sign_in
from tests.factories import (
    make_child,
    make_family_with_login,
    make_health_record,
    make_pickup_person,
    make_site,
    make_staff_with_perms,
)

from .factories import book, booked_children, every_day_calendar, make_animator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _evening(monkeypatch):
    from tests.attendance.factories import evening_clock

    evening_clock(monkeypatch)


@pytest.fixture
def calendar():
    return every_day_calendar()


def _url(name, calendar, site=None, day=None):
    site = site or calendar["site"]
    day = day or timezone.localdate()
    return reverse(
        f"attendance_admin:{name}",
        args=[site.public_id, day.isoformat(), calendar["unit"].public_id],
    )


def _login(client, user):
    return sign_in(client, user)


def test_list_shows_expected_children_pickups_and_declared_absence(client, calendar):
    child = make_child(first_name="Léa", last_name="Martin", class_level="CE1")
    booking = book(child, calendar)
    reason = AbsenceReason.objects.create(code="test-maladie", label="Maladie (test)")
    declaration = AbsenceDeclaration.objects.create(
        child=child, reason=reason, first_day=booking.day, last_day=booking.day
    )
    Absence.objects.create(declaration=declaration, booking=booking)
    make_pickup_person(child=child, first_name="Mamie", last_name="Martin")
    make_health_record(child=child, has_pai=True, pai_details="Arachides : trousse PAI")
    waiting = make_child(first_name="Noé", last_name="Attente")
    book(waiting, calendar, state="liste_attente")
    _login(client, make_animator(calendar["site"]))
    page = client.get(_url("list", calendar)).content.decode()
    assert "Martin Léa" in page and "CE1" in page and "Mamie Martin" in page
    assert "Noé Attente" in page  # waiting list
    assert "Absence déclarée par la famille : Maladie (test)" in page
    # No health permission: no alert, and nothing logged.
    assert "Arachides" not in page
    assert not HealthAccessLog.objects.exists()


def test_health_alerts_only_with_the_permission_and_each_view_logged(client, calendar):
    child = make_child(first_name="Léa", last_name="Martin")
    book(child, calendar)
    make_health_record(child=child, has_pai=True, pai_details="Arachides : trousse PAI")
    quiet = make_child(first_name="Tom", last_name="Sansalerte")
    book(quiet, calendar)
    agent = make_animator(calendar["site"], health=True)
    _login(client, agent)
    page = client.get(_url("list", calendar)).content.decode()
    assert "Arachides : trousse PAI" in page
    log = HealthAccessLog.objects.get()
    assert (log.child, log.user, log.context) == (child, agent, "liste_du_jour")
    client.get(_url("tablet", calendar))
    assert HealthAccessLog.objects.count() == 2


def test_agent_of_another_site_gets_404_everywhere(client, calendar):
    child = make_child()
    book(child, calendar)
    _login(client, make_animator(make_site()))
    for name in ("list", "tablet", "pdf"):
        assert client.get(_url(name, calendar)).status_code == 404, name
    response = client.post(_url("tap", calendar), {"child": child.public_id, "action": "present"})
    assert response.status_code == 404
    assert client.get(reverse("attendance_admin:photo", args=[child.public_id])).status_code == 404
    assert not Mark.objects.exists()
    index = client.get(reverse("attendance_admin:index")).content.decode()
    assert calendar["site"].name not in index


def test_animators_have_no_family_file_nor_billing(client, calendar):
    _login(client, make_animator(calendar["site"]))
    for name in ("families_admin:index", "billing_admin:invoices", "bookings_admin:day"):
        assert client.get(reverse(name)).status_code == 403, name


def test_tap_by_script_answers_json_and_french_refusals(client, calendar):
    child = make_child(first_name="Léa", last_name="Martin")
    book(child, calendar)
    _login(client, make_animator(calendar["site"]))
    json = {"HTTP_ACCEPT": "application/json"}
    tap = {"child": child.public_id, "action": "present", "at": "08:10"}
    response = client.post(_url("tap", calendar), tap, **json)
    assert response.status_code == 200
    assert response.json()["label"] == "Présent depuis 08:10"
    response = client.post(
        _url("tap", calendar),
        {
            "child": child.public_id,
            "action": "depart",
            "at": "07:00",
            "who": "autre",
            "pickup_name": "Jean Voisin",
            "pickup_reason": "Appel de la mère",
        },
        **json,
    )
    assert response.status_code == 400
    assert "précède l'arrivée" in response.json()["error"]["message"]
    stranger = make_child()
    response = client.post(
        _url("tap", calendar), {"child": stranger.public_id, "action": "present"}, **json
    )
    assert response.json()["error"]["message"] == "Enfant introuvable à ce site."
    assert Mark.objects.get().state == MarkState.PRESENT


def test_close_then_reopen_by_a_manager(client, calendar):
    child = make_child()
    book(child, calendar)
    _login(client, make_animator(calendar["site"]))
    client.post(_url("close", calendar))
    assert Register.objects.get().is_closed
    page = client.get(_url("tablet", calendar)).content.decode()
    assert "Registre clos" in page and 'name="action" value="present"' not in page
    manager = make_staff_with_perms(
        "attendance.view_register", "attendance.reopen_register", "attendance.all_sites"
    )
    _login(client, manager)
    client.post(_url("reopen", calendar), {"reason": "Oubli d'un enfant"})
    assert not Register.objects.get().is_closed


def test_pdf_of_the_day_list(client, calendar):
    book(make_child(first_name="Léa", last_name="Martin"), calendar)
    _login(client, make_animator(calendar["site"]))
    response = client.get(_url("pdf", calendar))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_tablet_register_of_150_children_in_constant_queries(client, calendar):
    agent = make_animator(calendar["site"], health=True)
    _login(client, agent)
    first = booked_children(calendar, 1)
    make_health_record(child=first[0], allergies="Arachides")
    make_pickup_person(child=first[0])
    url = _url("tablet", calendar)
    client.get(url)  # warm caches (permissions, site settings)
    one = _queries(client, url)
    others = booked_children(calendar, 149)
    for child in others[::10]:
        make_health_record(child=child, has_pai=True)
        make_pickup_person(child=child)
    many = _queries(client, url)
    assert many == one
    page = client.get(url).content.decode()
    assert page.count('class="pointage-child"') == 150
    assert _queries(client, _url("list", calendar)) == one


def test_yesterday_is_listed_but_the_future_cannot_be_tapped(client, calendar):
    child = make_child()
    book(child, calendar, day=timezone.localdate() + datetime.timedelta(days=1))
    _login(client, make_animator(calendar["site"]))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    json = {"HTTP_ACCEPT": "application/json"}
    response = client.post(
        _url("tap", calendar, day=tomorrow), {"child": child.public_id, "action": "present"}, **json
    )
    assert response.status_code == 400
    assert "jour à venir" in response.json()["error"]["message"]


def test_the_attendance_permissions_are_offered_to_groups_exactly():
    from espace_prive.admin_access import grantable_permissions
    from espace_prive.attendance.permissions import GRANTABLE

    rows = grantable_permissions(*GRANTABLE)
    assert sorted(f"{p.content_type.app_label}.{p.codename}" for p in rows) == sorted(GRANTABLE)


def test_a_family_sees_none_of_it(client, calendar):
    child = make_child(first_name="Léa", last_name="Secrète")
    book(child, calendar)
    _family, user = make_family_with_login()
    client.force_login(user)
    urls = [_url(name, calendar) for name in ("list", "tablet", "pdf")]
    urls.append(reverse("attendance_admin:photo", args=[child.public_id]))
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Secrète" not in response.content.decode()
    response = client.post(_url("tap", calendar), {"child": child.public_id, "action": "present"})
    assert response.status_code in (302, 403)
    assert not Mark.objects.exists()


def test_the_list_says_who_may_leave_alone_and_flags_an_unlisted_pickup(client, calendar):
    """Item 1 and « Access and bad input »: « may leave alone » on the daily list; a
    person not on the child's list only with a reason (else a French refusal, nothing
    changed), then flagged on the list."""
    alone = make_child(first_name="Tom", last_name="Seul", may_leave_alone=True)
    kept = make_child(first_name="Lou", last_name="Garde", may_leave_alone=False)
    for child in (alone, kept):
        book(child, calendar)
    _login(client, make_animator(calendar["site"]))
    json = {"HTTP_ACCEPT": "application/json"}
    tap = {"child": kept.public_id, "action": "present", "at": "00:00"}
    assert client.post(_url("tap", calendar), tap, **json).status_code == 200
    depart = {**tap, "action": "depart", "who": "autre", "pickup_name": "Jean Voisin"}
    response = client.post(_url("tap", calendar), depart, **json)
    assert response.status_code == 400
    assert "indiquez le motif" in response.json()["error"]["message"]
    assert Mark.objects.get(child=kept).state == MarkState.PRESENT
    depart["pickup_reason"] = "Appel de la mère"
    assert client.post(_url("tap", calendar), depart, **json).status_code == 200
    page = client.get(_url("list", calendar)).content.decode()
    assert "Autorisé à partir seul." in page and "Non autorisé à partir seul." in page
    assert "avec Jean Voisin (hors liste : Appel de la mère)" in page
    assert Mark.objects.get(child=kept).pickup_unlisted
