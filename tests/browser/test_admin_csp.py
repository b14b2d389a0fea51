"""Wagtail 8 starts choosers, inline panels and date pickers with inline scripts: the
admin's Content Security Policy lets them run (the public site's does not)."""

from playwright.sync_api import expect

from tests.factories import make_staff

from .conftest import live_db

TARIFF_GRID_ADD = "/admin/snippets/catalogue/tariffgrid/add/"


def _csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    return violations


@live_db
def test_an_inline_panel_adds_a_row_under_the_csp(live_server, page, login_as):
    login_as(make_staff(superuser=True))
    violations = _csp_violations(page)
    page.goto(live_server.url + TARIFF_GRID_ADD)
    total = page.locator("input[name=bands-TOTAL_FORMS]")
    before = int(total.input_value())
    page.get_by_role("button", name="Ajouter un(e) Tranche").click()
    expect(total).to_have_value(str(before + 1))
    expect(page.locator(f"input[name=bands-{before}-price]")).to_be_visible()
    assert violations == []


@live_db
def test_a_date_field_opens_its_picker_under_the_csp(live_server, page, login_as):
    login_as(make_staff(superuser=True))
    violations = _csp_violations(page)
    page.goto(live_server.url + TARIFF_GRID_ADD)
    page.locator("input[name=valid_from]").click()
    expect(page.locator(".xdsoft_datetimepicker").first).to_be_visible()
    assert violations == []


@live_db
def test_a_snippet_chooser_opens_its_modal_under_the_csp(live_server, page, login_as):
    login_as(make_staff(superuser=True))
    violations = _csp_violations(page)
    page.goto(live_server.url + TARIFF_GRID_ADD)
    page.locator("[data-chooser-action-choose]:visible").first.click()
    expect(page.locator(".modal-dialog").first).to_be_visible()
    assert violations == []
