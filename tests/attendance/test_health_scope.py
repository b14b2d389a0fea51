"""An « Animateur » holding the health right sees the health data of the children of
their sites only: the family file's health pages of any other child are a 404 (the
shared ``families.selectors.children_for_staff``); town-wide staff are unchanged."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from espace_prive.families.models import HealthAccessLog
from tests.api.bookings_helpers import enrol
from tests.conftest import sign_in
from tests.factories import MINIMAL_PDF, make_child, make_health_record, make_staff_with_perms

from .factories import every_day_calendar, make_animator

pytestmark = pytest.mark.django_db


def _child_with_pai(calendar, name):
    child = make_child(first_name=name)
    enrol(child, calendar)
    pai = storages["private"].save(f"pai/{name}.pdf", ContentFile(MINIMAL_PDF))
    make_health_record(child=child, has_pai=True, allergies=f"Allergie-{name}", pai_document=pai)
    return child


def _health_urls(child):
    return [
        reverse("families_admin:health", args=[child.public_id]),
        reverse("families_admin:pai_document", args=[child.public_id]),
    ]


def test_an_animator_sees_the_health_of_their_sites_children_only(client):
    mine, other = every_day_calendar(), every_day_calendar()
    ours = _child_with_pai(mine, "Ourselle")
    theirs = _child_with_pai(other, "Ailleurine")
    sign_in(client, make_animator(mine["site"], health=True))
    health, pai = _health_urls(ours)
    page = client.get(health)
    assert page.status_code == 200 and "Allergie-Ourselle" in page.content.decode()
    assert client.get(pai).status_code == 200
    assert HealthAccessLog.objects.filter(child=ours).count() == 2
    for url in _health_urls(theirs):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Ailleurine" not in response.content.decode()
    assert not HealthAccessLog.objects.filter(child=theirs).exists()


def test_an_animator_without_sites_sees_no_health_page(client):
    child = _child_with_pai(every_day_calendar(), "Personne")
    sign_in(client, make_animator(None, health=True))
    for url in _health_urls(child):
        assert client.get(url).status_code == 404, url


def test_town_staff_still_open_any_childs_health(client):
    child = _child_with_pai(every_day_calendar(), "Partout")
    staff = make_staff_with_perms("families.view_child", "families.view_health_record")
    sign_in(client, staff)
    for url in _health_urls(child):
        assert client.get(url).status_code == 200, url
    all_sites = make_staff_with_perms("attendance.all_sites", "families.view_health_record")
    sign_in(client, all_sites)
    assert client.get(_health_urls(child)[0]).status_code == 200
