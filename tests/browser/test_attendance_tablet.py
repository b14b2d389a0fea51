"""The register on a 10-inch tablet held upright (820×1180, touch): an animator marks
three children present and one absent, adds a child come without a booking, records a
departure with the person who picked the child up, loses the network for one tap (kept,
shown « Non enregistré », sent when the network is back) and closes the register."""

import pytest
from django.urls import reverse
from django.utils import timezone

from espace_prive.attendance.models import Mark, MarkState, Register, SiteAssignment
from tests.api.bookings_helpers import enrol
from tests.attendance.factories import book, every_day_calendar
from tests.factories import make_child, make_pickup_person, make_staff_with_perms

from .conftest import live_db

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": TABLET, "has_touch": True}


def _card(page, child):
    return page.locator(f"#enfant-{child.public_id}")


@live_db
def test_register_on_a_tablet_with_one_tap_offline(
    live_server, page, context, login_as, assert_accessible
):
    calendar = every_day_calendar()
    names = ["Ana", "Basile", "Chloé", "Dylan", "Élise"]
    children = [make_child(first_name=n, last_name="Tablette") for n in names]
    for child in children:
        book(child, calendar)
    person = make_pickup_person(child=children[4], first_name="Mamie", last_name="Tablette")
    walk_in = make_child(first_name="Félix", last_name="Surplace")
    enrol(walk_in, calendar)
    # Permissions directly (a live-server test flushes the groups the migrations made).
    animator = make_staff_with_perms("attendance.view_register", "attendance.take_attendance")
    SiteAssignment.objects.create(user=animator, site=calendar["site"])
    login_as(animator)
    today = timezone.localdate().isoformat()
    url = reverse(
        "attendance_admin:tablet",
        args=[calendar["site"].public_id, today, calendar["unit"].public_id],
    )
    page.goto(live_server.url + url)
    assert_accessible(page)

    for child in children[:3]:
        _card(page, child).get_by_role("button", name="Présent").tap()
        _card(page, child).locator("[data-state]").filter(has_text="Présent depuis").wait_for()
    _card(page, children[3]).get_by_role("button", name="Absent").tap()
    _card(page, children[3]).locator("[data-state]").filter(has_text="Absent").wait_for()

    # The network drops for one tap: kept, shown as not saved, sent when back.
    context.set_offline(True)
    late = _card(page, children[4])
    late.get_by_role("button", name="Présent").tap()
    late.locator("[data-pending]").wait_for(state="visible")
    assert "non enregistré" in page.locator("[data-pointage-queue]").inner_text()
    assert not Mark.objects.filter(child=children[4]).exists()
    context.set_offline(False)
    late.locator("[data-pending]").wait_for(state="hidden")
    late.locator("[data-state]").filter(has_text="Présent depuis").wait_for()
    assert Mark.objects.get(child=children[4]).state == MarkState.PRESENT

    # Departure with the person of the child's list.
    late.locator("summary").tap()
    late.get_by_label("Mamie Tablette").tap()
    late.get_by_role("button", name="Enregistrer le départ").tap()
    late.locator("[data-state]").filter(has_text="avec Mamie Tablette").wait_for()
    assert Mark.objects.get(child=children[4]).pickup_person == person

    # A child come without a booking.
    page.get_by_label("Enfant inscrit à ce service").select_option(str(walk_in.public_id))
    page.get_by_role("button", name="Ajouter (présence sans réservation)").tap()
    _card(page, walk_in).filter(has_text="présence sans réservation").wait_for()
    assert_accessible(page)

    page.get_by_role("button", name="Clore le registre").tap()
    page.get_by_text("Registre clos", exact=False).first.wait_for()
    assert Register.objects.get().is_closed
    states = dict(Mark.objects.values_list("child__first_name", "state"))
    assert states == {
        "Ana": "present",
        "Basile": "present",
        "Chloé": "present",
        "Dylan": "absent",
        "Élise": "parti",
        "Félix": "present",
    }
    assert Mark.objects.get(child=walk_in).unbooked
