from playwright.sync_api import expect

from .conftest import live_db


@live_db
def test_home_page_has_no_axe_violations(live_server, page, demo_site, assert_accessible):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ville de Belval")
    expect(page.get_by_role("link", name="Espace famille").first).to_be_visible()
    assert_accessible(page)


@live_db
def test_skip_link_moves_focus_to_main_content(live_server, page, demo_site):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
