"""The demo's registers of today and its animator login."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from espace_prive.attendance import demo as attendance_demo
from espace_prive.attendance.models import Mark, Register, SiteAssignment
from espace_prive.bookings.demo import JULES_FERRY, TILLEULS
from espace_prive.catalogue.models import Site
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_demo_registers_and_animator(capsys):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    output = capsys.readouterr().out
    assert attendance_demo.ANIMATOR_EMAIL in output and attendance_demo.ANIMATOR_PASSWORD in output
    animator = get_user_model().objects.get(email=attendance_demo.ANIMATOR_EMAIL)
    assert [a.site.name for a in SiteAssignment.objects.filter(user=animator)] == [JULES_FERRY]
    assert animator.has_perm("families.view_health_record")
    assert not animator.has_perm("families.change_family")
    # Today's registers (the billing demo also took one day of an earlier month).
    today = Register.objects.filter(day=timezone.localdate())
    assert {r.site.name for r in today} == {JULES_FERRY, TILLEULS}
    assert today.get(site__name=TILLEULS).is_closed
    marks = Mark.objects.filter(register__in=today, register__site__name=JULES_FERRY)
    assert marks.filter(child__first_name="Léa", child__health_record__has_pai=True).exists()
    assert marks.filter(child__first_name="Inès", unbooked=True).exists()

    # The animator's login (not ``is_staff``: a group gives them the admin, and
    # ``sign_in`` passes their second factor) reaches Jules-Ferry's registers of today,
    # not Les Tilleuls'.
    client = sign_in(APIClient(), animator)
    today = timezone.localdate().isoformat()

    def register(name):
        site = Site.objects.get(name=name)
        return client.get(reverse("api:staff-day-register", args=[site.public_id, today]))

    assert register(TILLEULS).status_code == 404
    body = register(JULES_FERRY).json()
    children = [entry for unit in body["registers"] for entry in unit["children"]]
    # Léa may be expected in several units today (the canteen, the evening care): her
    # canteen mark is in one of them, her PAI in all.
    leas = [entry for entry in children if entry["first_name"] == "Léa"]
    assert leas and all(entry["health"]["has_pai"] for entry in leas)
    assert any(entry["mark"] for entry in leas)
