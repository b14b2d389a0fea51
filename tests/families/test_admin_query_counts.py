"""The staff's family pages cost the same number of queries with 1 and 30 rows."""

import pytest
from django.test import Client
from django.urls import reverse

from espace_prive.accounts.models import Invitation
from espace_prive.families.models import HealthAccessLog
from tests.conftest import sign_in
from tests.factories import (
    make_change_request,
    make_child,
    make_family_with_login,
    make_guardian,
    make_pickup_person,
    make_pickup_request,
    make_staff,
)
from tests.queries import count_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    user = make_staff(superuser=True)
    return sign_in(Client(), user), user


def test_the_families_list_costs_the_same_for_1_and_30_families(admin_client):
    client, _user = admin_client
    url = reverse("families_admin:index")
    make_family_with_login()
    client.get(url)  # warm up Wagtail's per-process caches
    one = count_get(client, url)
    for _ in range(29):
        family, _login = make_family_with_login()
        make_guardian(family=family, role="conjoint")
    assert count_get(client, url) == one


def test_a_family_file_costs_the_same_for_1_and_30_children_and_requests(admin_client):
    client, _user = admin_client
    family, login = make_family_with_login()
    url = reverse("families_admin:family", args=[family.public_id])
    child = family.children.get()
    make_change_request(
        family=family, section="child_schooling", child=child, actor=login,
        values={"class_level": "CP"},
    )  # fmt: skip
    client.get(url)
    one = count_get(client, url)
    for n in range(19):
        child = make_child(family=family, first_name=f"Enfant{n}")
        person = make_pickup_person(child=child)
        if n % 2:
            make_change_request(
                family=family, section="child_schooling", child=child, actor=login,
                values={"class_level": "CP"},
            )  # fmt: skip
        else:
            make_pickup_request(family=family, child=child, person=person, actor=login)
    assert count_get(client, url) == one


def test_the_invitations_list_costs_the_same_for_1_and_30_invitations(admin_client):
    client, _user = admin_client
    url = reverse("accounts_admin:invitations")

    def invite():
        family, _login = make_family_with_login()
        guardian = family.guardians.get()
        Invitation.objects.create(guardian=guardian, channel="courrier")

    invite()
    client.get(url)
    one = count_get(client, url)
    for _ in range(29):
        invite()
    assert count_get(client, url) == one


def test_the_health_accesses_list_costs_the_same_for_1_and_30_accesses(admin_client):
    client, _user = admin_client
    family, _login = make_family_with_login()
    child = family.children.get()
    url = reverse("families_admin:health_accesses", args=[child.public_id])
    HealthAccessLog.objects.create(child=child, user=make_staff(), context="fiche")
    client.get(url)
    one = count_get(client, url)
    for _ in range(29):
        HealthAccessLog.objects.create(child=child, user=make_staff(), context="fiche")
    assert count_get(client, url) == one
