"""Last month's attendance rate on the occupancy dashboard comes from the registers:
the booked children of closed registers, and how many of them were there."""

import pytest
from django.urls import reverse
from django.utils import timezone

from espace_prive.attendance import services
from espace_prive.attendance.models import MarkState
from espace_prive.attendance.rates import attendance_by_service_and_site
from espace_prive.kitchen import occupancy
from espace_prive.kitchen.permissions import VIEW_OCCUPANCY
from tests.conftest import sign_in
from tests.factories import make_staff_with_perms
from tests.reading import text

from .factories import booked_children, every_day_calendar, make_animator

pytestmark = pytest.mark.django_db


def _taken(calendar, states, *, close):
    agent = make_animator(calendar["site"])
    where = {"site": calendar["site"], "unit": calendar["unit"], "day": timezone.localdate()}
    children = booked_children(calendar, len(states) + 1)  # the last one is never marked
    for child, state in zip(children, states, strict=False):
        services.attendance_tap(actor=agent, child=child, state=state, **where)
    if close:
        services.register_close(actor=agent, **where)
    return where


def test_the_rate_counts_the_booked_children_of_closed_registers():
    calendar = every_day_calendar()
    where = _taken(calendar, [MarkState.PRESENT, MarkState.PRESENT, MarkState.ABSENT], close=True)
    today = where["day"]
    key = (calendar["unit"].service_id, calendar["site"].pk)
    # 4 booked (one never marked counts as expected), 2 there.
    assert attendance_by_service_and_site(start=today, end=today) == {key: (2, 4)}
    assert attendance_by_service_and_site(start=today.replace(day=1), end=today)[key] == (2, 4)


def test_an_open_register_does_not_count_yet():
    calendar = every_day_calendar()
    where = _taken(calendar, [MarkState.PRESENT], close=False)
    assert attendance_by_service_and_site(start=where["day"], end=where["day"]) == {}


def test_the_app_feeds_the_occupancy_dashboard(client):
    assert occupancy.has_attendance_provider()
    sign_in(client, make_staff_with_perms(VIEW_OCCUPANCY, email="direction@example.test"))
    page = text(client.get(reverse("kitchen_admin:occupancy")))
    assert "Taux de présence : enfants pointés présents sur enfants attendus" in page
