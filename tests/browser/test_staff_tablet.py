"""Staff work the queue and the family files on a tablet: at 820 px (a tablet held
upright, Wagtail's menu open) every column of the staff tables stays reachable."""

import pytest

from tests.factories import (
    make_family_with_login,
    make_registration,
    make_requests_of_every_kind,
    make_staff,
)

from .conftest import live_db

TABLET = {"width": 820, "height": 1180}


def _overflow(page):
    """How many pixels of the admin's main column are cut off (it hides its overflow)."""
    return page.evaluate(
        "() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; }"
    )


@pytest.fixture
def staff_tablet(page, login_as):
    page.set_viewport_size(TABLET)
    login_as(make_staff(superuser=True))
    return page


@live_db
def test_queue_and_request_fit_a_tablet_or_scroll_inside_their_table(live_server, staff_tablet):
    page = staff_tablet
    family, user = make_family_with_login(email="tablette@example.test")
    requests = make_requests_of_every_kind(family=family, actor=user, count=6)
    make_registration(last_name="Tablette")
    for path in (
        "/admin/demandes/",
        f"/admin/demandes/{requests[0].public_id}/",
        f"/admin/demandes/{requests[1].public_id}/",  # health: four columns
        "/admin/familles/",
        f"/admin/familles/{family.public_id}/",
    ):
        page.goto(live_server.url + path)
        assert _overflow(page) <= 0, path
