from playwright.sync_api import expect

from tests.factories import make_staff

from .conftest import live_db


@live_db
def test_signed_in_staff_reaches_the_wagtail_dashboard(live_server, page, login_as):
    login_as(make_staff(superuser=True, first_name="Claire"))
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_title("Tableau de bord - Wagtail")
    expect(page.get_by_label("Adresse e-mail")).to_have_count(0)
