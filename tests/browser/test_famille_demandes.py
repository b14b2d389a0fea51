"""The journey of a change: the family asks, staff decide in the Wagtail admin, the family
finds the answers. Every family page on the way is checked with axe."""

import re

from playwright.sync_api import expect

from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.families.models import Guardian
from tests.factories import (
    make_family_with_login,
    make_guardian,
    make_health_record,
    make_staff,
)

from .conftest import live_db, page_signed_in

# tests/browser/test_bookings_journey.py imports it under this name.
_staff_page = page_signed_in


def _nav(page, name):
    page.get_by_role("navigation", name="Espace famille").get_by_role("link", name=name).click()


@live_db
def test_a_family_asks_staff_decide_and_the_family_finds_the_answers(
    live_server, page, browser, login_as, assert_accessible
):
    family, user = make_family_with_login(email="famille@example.test")
    guardian = family.guardians.get()
    guardian.first_name, guardian.last_name = "Sophie", "Martin"
    guardian.mobile_phone = "06 12 34 56 78"
    guardian.save()
    # Two responsables: each has sections of the same names, which must stay distinct.
    make_guardian(family=family, role=Guardian.Role.PARTNER, first_name="Thomas")
    child = family.children.get()
    child.first_name = "Léa"
    child.save()
    make_health_record(child=child)
    login_as(user)

    # Home, then Mon compte: change the mobile phone number.
    page.goto(live_server.url + "/espace-famille/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sophie Martin")
    assert_accessible(page)
    _nav(page, "Mon compte")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert_accessible(page)
    account_url = page.url
    page.get_by_role("link", name="Modifier « Téléphones » de Sophie Martin").click()
    # htmx opens the form in place of the section, and the focus moves into it.
    form = page.get_by_role("group", name="Téléphones — Sophie Martin")
    expect(form).to_be_focused()
    assert page.url == account_url
    assert_accessible(page)
    page.get_by_label("Téléphone portable").fill("pas un numéro")
    page.get_by_role("button", name="Envoyer la demande de modification").click()
    expect(page.locator("#resume-erreurs")).to_be_focused()
    assert page.url == account_url
    assert not ChangeRequest.objects.exists()
    page.get_by_label("Téléphone portable").fill("06 99 88 77 66")
    page.get_by_role("button", name="Envoyer la demande de modification").click()
    expect(page.get_by_text("a été transmise au service")).to_be_visible()
    # The message saying what happened has the keyboard focus, and is in view.
    expect(page.locator("#messages")).to_be_focused()
    expect(page.locator("#messages")).to_be_in_viewport()
    phones = page.locator("#guardian_phones-" + str(guardian.public_id))
    expect(phones.get_by_text("En attente de validation", exact=True)).to_be_visible()
    expect(phones).to_contain_text("06 99 88 77 66")
    assert_accessible(page)

    # Mes enfants: change Léa's allergies.
    _nav(page, "Mes enfants")
    assert_accessible(page)
    page.get_by_role("link", name="Voir la fiche de Léa").click()
    assert_accessible(page)
    page.get_by_role("link", name="Modifier « Allergies et régime alimentaire » de Léa").click()
    page.get_by_label("Allergies", exact=True).fill("Arachide")
    page.get_by_role("button", name="Envoyer la demande de modification").click()
    allergies = page.locator("#health_allergies")
    expect(allergies.get_by_text("En attente de validation").first).to_be_visible()
    assert_accessible(page)

    _nav(page, "Mes demandes")
    expect(page.get_by_role("heading", name="En attente de validation (2)")).to_be_visible()
    assert_accessible(page)

    # Staff: accept the phone number, refuse the allergy with a reason.
    staff = page_signed_in(browser, live_server, make_staff(superuser=True, first_name="Claire"))
    staff.goto(live_server.url + "/admin/demandes/")
    staff.get_by_role("link", name=re.compile(r"Examiner la demande Téléphones")).click()
    expect(staff.get_by_text("06 99 88 77 66")).to_be_visible()
    staff.get_by_role("button", name="Accepter et appliquer").click()
    expect(staff.get_by_text("acceptée et appliquée")).to_be_visible()
    staff.get_by_role("link", name=re.compile(r"Examiner la demande Allergies")).click()
    staff.get_by_label("Motif du refus").fill("Merci de joindre le certificat de l'allergologue.")
    staff.get_by_role("button", name="Refuser la demande").click()
    expect(staff.get_by_text("refusée ; la famille est prévenue")).to_be_visible()
    staff.context.close()

    states = dict(ChangeRequest.objects.values_list("section", "state"))
    assert states == {
        "guardian_phones": RequestState.ACCEPTED,
        "health_allergies": RequestState.REFUSED,
    }

    # The family finds both answers, and the file shows the accepted value.
    page.goto(live_server.url + "/espace-famille/demandes/")
    expect(page.get_by_role("heading", name="Traitées depuis un mois (2)")).to_be_visible()
    expect(page.get_by_text("Acceptée", exact=True)).to_be_visible()
    expect(page.get_by_text("Refusée", exact=True)).to_be_visible()
    reason = "Motif : Merci de joindre le certificat de l'allergologue."
    expect(page.get_by_text(reason)).to_be_visible()
    assert_accessible(page)
    _nav(page, "Mon compte")
    expect(phones).to_contain_text("06 99 88 77 66")
    expect(phones.get_by_text("attente de validation")).to_have_count(0)
    _nav(page, "Mes enfants")
    page.get_by_role("link", name="Voir la fiche de Léa").click()
    expect(page.locator("#health_allergies")).not_to_contain_text("Arachide")


@live_db
def test_family_forms_and_pages_have_no_axe_violations(
    live_server, page, login_as, assert_accessible
):
    family, user = make_family_with_login(email="famille2@example.test")
    child = family.children.get()
    login_as(user)
    base = live_server.url + "/espace-famille/"
    for path in (
        "mon-compte/family_caf/modifier/",
        "mon-compte/second-responsable/ajouter/",
        "enfants/ajouter/",
        f"enfants/{child.public_id}/child_authorisations/modifier/",
        f"enfants/{child.public_id}/health_pai/modifier/",
        f"enfants/{child.public_id}/photo/modifier/",
        f"enfants/{child.public_id}/personnes-autorisees/ajouter/",
    ):
        page.goto(base + path)
        assert_accessible(page)
    # A form with errors: summary and messages next to the fields.
    page.goto(base + f"enfants/{child.public_id}/child_authorisations/modifier/")
    page.get_by_role("button", name="Envoyer la demande de modification").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient 4 erreurs")
    assert_accessible(page)
    page.goto(base + "mon-compte/family_bank/modifier/")
    page.get_by_label("IBAN").fill("FR76 3000 6000 0112 3456 7890 188")
    page.get_by_role("button", name="Envoyer la demande de modification").click()
    expect(page.get_by_text("la clé de contrôle ne correspond pas").first).to_be_visible()
    assert_accessible(page)


@live_db
def test_a_family_withdraws_a_request_from_the_list(live_server, page, login_as, assert_accessible):
    """htmx brings the confirmation into the list; the answer reloads the list."""
    from tests.factories import make_change_request

    family, user = make_family_with_login(email="famille3@example.test")
    make_change_request(
        family=family, section="family_address", actor=user, values={"city": "Belval"}
    )
    login_as(user)
    list_url = live_server.url + "/espace-famille/demandes/"
    page.goto(list_url)
    page.get_by_role("link", name=re.compile(r"^Annuler la demande")).click()
    confirmation = page.get_by_role("group", name=re.compile(r"^Annuler la demande"))
    expect(confirmation).to_be_focused()
    assert page.url == list_url  # brought in place, no navigation
    assert_accessible(page)
    confirmation.get_by_role("button", name="Oui, annuler la demande").click()
    expect(page.get_by_text("est annulée")).to_be_visible()
    expect(page.locator("#messages")).to_be_focused()
    expect(page.locator("#messages")).to_be_in_viewport()
    expect(page.get_by_role("heading", name="En attente de validation (0)")).to_be_visible()
    expect(page.get_by_text("Annulée", exact=True)).to_be_visible()
    assert ChangeRequest.objects.get().state == RequestState.CANCELLED


@live_db
def test_a_requests_diff_on_a_phone_can_be_scrolled_from_the_keyboard(
    live_server, page, login_as, assert_accessible
):
    """The diff table scrolls sideways on a 375 px screen: it must take the focus."""
    from tests.factories import make_allergy_request

    family, user = make_family_with_login(email="famille4@example.test")
    make_health_record(child=family.children.get())
    change_request = make_allergy_request(
        family=family,
        actor=user,
        allergies="Kiwi : démangeaisons de la bouche, anaphylactiques parfois.",
    )
    login_as(user)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/espace-famille/demandes/{change_request.public_id}/")
    expect(page.get_by_role("table", name="Modifications demandées")).to_be_visible()
    assert_accessible(page)
