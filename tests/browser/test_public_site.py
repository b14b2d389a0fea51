"""Every page type of the public site in a real browser, checked with axe-core."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.public_site import seed_public_site

from .conftest import live_db

PAGES = [
    "/",
    "/actualites/",
    "/actualites/?categorie=loisirs",
    "/actualites/greve-education-nationale/",
    "/menus/",
    "/menus/semaine/2031-W02/",  # a week without menus
    "/menus/semaine/pas-une-semaine/",  # a malformed week
    "/services/",
    "/services/restauration-scolaire/",
    "/tarifs/",
    "/tutoriels/",
    "/tutoriels/creer-mon-compte/",
    "/documents-utiles/",
    "/infos-pratiques/",
    "/questions-frequentes/",
    "/recherche/?q=cantine",
    "/recherche/?q=",
    "/accessibilite/",
]


@live_db
def test_every_public_page_type_has_no_axe_violations(live_server, page, assert_accessible):
    from pages.models import MenuWeekPage

    seed_public_site()
    week_page = MenuWeekPage.objects.get(
        week_start=timezone.localdate() - timezone.timedelta(days=timezone.localdate().weekday())
    )
    for path in [*PAGES, week_page.url]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


@live_db
def test_home_shows_this_weeks_menu_from_the_demo(live_server, page, assert_accessible):
    from pages.models import MenuWeekPage
    from pages.weeks import monday_of, week_label

    seed_public_site()
    today = timezone.localdate()
    week = MenuWeekPage.objects.get(week_start=monday_of(today))
    page.goto(live_server.url + "/")
    menus = page.get_by_role("region", name=re.compile("Au menu de la cantine"))
    expect(menus.get_by_role("heading", level=2)).to_contain_text(week_label(monday_of(today)))
    for dish in week.dishes.filter(day=today.isoweekday()):
        expect(menus.get_by_text(dish.name, exact=True).first).to_be_visible()
    if today.isoweekday() <= 5:
        expect(menus.get_by_text("aujourd'hui")).to_be_visible()
    # Next week, from the home page.
    menus.get_by_role("link", name="Semaine suivante").click()
    expect(page).to_have_url(re.compile(r"/menus/semaine/\d{4}-W\d{2}/$"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("Semaine du")
    assert_accessible(page)


@live_db
def test_tariff_simulator_with_keyboard_and_errors(live_server, page, assert_accessible):
    seed_public_site()
    page.goto(live_server.url + "/tarifs/")
    field = page.get_by_label("Votre quotient familial (QF)")
    field.fill("-5")
    page.get_by_role("button", name="Calculer mes prix").click()
    expect(page.get_by_role("alert")).to_contain_text("ne peut pas être négatif")
    assert_accessible(page)
    expect(page.locator("#resume-erreurs")).to_be_focused()
    page.get_by_label("Votre quotient familial (QF)").fill("850")
    page.get_by_label("une autre commune").check()
    page.get_by_label("Votre quotient familial (QF)").press("Enter")
    results = page.get_by_role("status")
    expect(results).to_contain_text("Vos prix pour un QF de 850, hors commune")
    expect(results).to_contain_text("6,50")
    expect(results).to_be_focused()
    expect(page).to_have_url(re.compile(r"/tarifs/\?quotient=850&residence=exterieur$"))
    assert_accessible(page)


@live_db
def test_tariff_simulator_updates_in_place_with_htmx(live_server, page):
    """htmx swaps the simulator only: the page is not reloaded, the URL can be shared."""
    seed_public_site()
    page.goto(live_server.url + "/tarifs/")
    page.evaluate("window.pageNotReloaded = true")
    page.get_by_label("Votre quotient familial (QF)").fill("400")
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Calculer mes prix").click()
    expect(page.get_by_role("status")).to_contain_text("Vos prix pour un QF de 400")
    assert page.evaluate("window.pageNotReloaded") is True
    assert page.locator("#simulateur").count() == 1
    page.reload()  # the pushed URL renders the same results without JavaScript's help
    expect(page.get_by_role("status")).to_contain_text("Vos prix pour un QF de 400")


@live_db
def test_menus_week_navigation_and_day_picker(live_server, page, assert_accessible):
    seed_public_site()
    page.goto(live_server.url + "/menus/")
    page.get_by_role("link", name="Semaine précédente").first.click()
    expect(page).to_have_url(re.compile(r"/menus/semaine/\d{4}-W\d{2}/$"))
    page.get_by_label("Afficher les menus de la semaine du").fill("2026-11-26")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"/menus/semaine/2026-W48/$"))
    expect(page.get_by_role("heading", level=2).first).to_contain_text("23 au 29 novembre 2026")
    assert_accessible(page)
