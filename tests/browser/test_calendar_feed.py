"""« Mon agenda en ligne » (issue 11, item 7) in a browser: from Mon compte, the family
creates its agenda address, renews it (the old one stops), with the keyboard; the page
passes axe on a phone and on a desktop."""

from django.conf import settings
from playwright.sync_api import expect

from espace_prive.bookings.models import CalendarFeed
from tests.factories import make_family_with_login

from .conftest import live_db

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def address_value(token):
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/agenda/{token}.ics"


def _accessible_everywhere(page, assert_accessible):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_accessible(page)


@live_db
def test_the_family_creates_and_renews_its_agenda_address(
    live_server, page, login_as, assert_accessible
):
    family, user = make_family_with_login(email="agenda@example.test")
    login_as(user)
    page.goto(f"{live_server.url}/espace-famille/mon-compte/")
    page.get_by_role("link", name="Mon agenda en ligne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon agenda en ligne")
    _accessible_everywhere(page, assert_accessible)
    button = page.get_by_role("button", name="Créer l'adresse de mon agenda")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Nouvelle adresse créée")
    first = CalendarFeed.objects.get(family=family).token
    address = page.get_by_label("Adresse de votre agenda")
    assert address.input_value().endswith(f"/agenda/{first}.ics")
    _accessible_everywhere(page, assert_accessible)
    page.get_by_role("button", name="Créer une nouvelle adresse").click()
    expect(page.get_by_label("Adresse de votre agenda")).not_to_have_value(address_value(first))
    second = CalendarFeed.objects.get(family=family).token
    assert second != first
    assert (
        page.get_by_label("Adresse de votre agenda").input_value().endswith(f"/agenda/{second}.ics")
    )
    response = page.request.get(f"{live_server.url}/agenda/{first}.ics")
    assert response.status == 404
    response = page.request.get(f"{live_server.url}/agenda/{second}.ics")
    assert response.status == 200 and response.text().startswith("BEGIN:VCALENDAR")
