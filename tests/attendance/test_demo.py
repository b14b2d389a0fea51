"""The demo's registers of today and its animator login."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from espace_prive.attendance import demo as attendance_demo
from espace_prive.attendance.models import Mark, Register, SiteAssignment
from espace_prive.bookings.demo import JULES_FERRY, TILLEULS

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
