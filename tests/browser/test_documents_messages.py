"""Issue 10's acceptance journey: the family sends an insurance certificate, staff accept
it, the family writes « Nous contacter », staff reply, the family sees the banner, opens
the message and the banner goes; the second guardian still has it unread. Every family
page on the way passes axe on a phone and on a desktop."""

import re

from django.core.files.base import ContentFile
from playwright.sync_api import expect

from espace_prive.documents.models import Document, ReviewState
from espace_prive.families.models import Guardian
from espace_prive.messaging.models import Thread
from tests.factories import (
    MINIMAL_PDF,
    make_family_with_login,
    make_guardian,
    make_staff,
    make_user,
)

from .conftest import live_db, page_signed_in

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _accessible_everywhere(page, assert_accessible):
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert_accessible(page)


@live_db
def test_document_accepted_then_a_message_and_its_answer(
    live_server, page, browser, login_as, assert_accessible, tmp_path
):
    family, sophie = make_family_with_login(email="sophie@example.test")
    guardian = family.guardians.get()
    guardian.civility, guardian.first_name, guardian.last_name = "mme", "Sophie", "Martin"
    guardian.save()
    marc = make_user(email="marc@example.test")
    make_guardian(family=family, user=marc, role=Guardian.Role.PARTNER, first_name="Marc",
                  last_name="Martin")  # fmt: skip
    child = family.children.get()
    child.first_name = "Léa"
    child.save()
    login_as(sophie)
    certificate = tmp_path / "attestation-assurance.pdf"
    certificate.write_bytes(MINIMAL_PDF)

    # The family sends its insurance certificate.
    page.goto(live_server.url + "/espace-famille/")
    _accessible_everywhere(page, assert_accessible)
    page.get_by_role("navigation", name="Espace famille").get_by_role(
        "link", name="Mes documents"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes documents")
    _accessible_everywhere(page, assert_accessible)
    page.get_by_role("link", name="Envoyer un document").first.click()
    _accessible_everywhere(page, assert_accessible)
    page.get_by_role("button", name="Envoyer").click()  # nothing chosen: errors
    expect(page.locator("#resume-erreurs")).to_be_visible()
    _accessible_everywhere(page, assert_accessible)
    page.get_by_label("Type de document").select_option(label="Attestation d'assurance")
    page.get_by_label("Enfant concerné").select_option(label=child.full_name)
    page.get_by_label("Fichier").set_input_files(str(certificate))
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("En attente de vérification")).to_be_visible()
    document = Document.objects.get(family=family)

    # Staff accept it.
    staff = page_signed_in(
        browser, live_server, make_staff(email="agent@example.test", superuser=True)
    )
    staff.goto(live_server.url + "/admin/documents-familles/")
    assert_accessible(staff)
    staff.get_by_role("link", name=re.compile(r"Vérifier Attestation d'assurance")).click()
    expect(staff.get_by_role("button", name="Accepter le document")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_role("button", name="Accepter le document").click()
    expect(staff.get_by_text("accepté ; la famille est prévenue")).to_be_visible()
    document.refresh_from_db()
    assert document.state == ReviewState.ACCEPTED
    page.reload()
    expect(page.locator(".document-item").get_by_text("Accepté", exact=True)).to_be_visible()

    # The family writes to the service.
    page.get_by_role("navigation", name="Espace famille").get_by_role(
        "link", name="Messages"
    ).click()
    _accessible_everywhere(page, assert_accessible)
    page.get_by_role("link", name="Nous contacter").click()
    _accessible_everywhere(page, assert_accessible)
    page.get_by_label("Sujet").select_option(label="Restauration scolaire")
    page.get_by_label("Objet").fill("Repas de Léa")
    page.get_by_label("Votre message").fill("Bonjour,\nLéa ne mange pas de porc.")
    page.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Repas de Léa")
    _accessible_everywhere(page, assert_accessible)
    thread = Thread.objects.get(family=family)

    # Staff reply from the admin inbox.
    staff.goto(live_server.url + "/admin/messages-familles/")
    assert_accessible(staff)
    staff.get_by_role("link", name="Repas de Léa").click()
    expect(staff.get_by_role("button", name="Envoyer la réponse")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_label("Votre message").fill("C'est noté : un repas sans porc sera servi.")
    staff.get_by_role("button", name="Envoyer la réponse").click()
    expect(staff.get_by_text("Réponse envoyée")).to_be_visible()
    staff.goto(live_server.url + "/admin/messages-familles/plusieurs-familles/")
    expect(staff.get_by_role("button", name="Envoyer")).to_be_visible()
    assert_accessible(staff)

    # The banner, then the message; the banner goes.
    page.goto(live_server.url + "/espace-famille/")
    banner = page.get_by_role(
        "link", name="Bienvenue Madame Sophie Martin, vous avez 1 nouveau message"
    )
    expect(banner).to_be_visible()
    _accessible_everywhere(page, assert_accessible)
    banner.click()
    _accessible_everywhere(page, assert_accessible)
    page.get_by_role("link", name="Repas de Léa").click()
    expect(page.get_by_text("un repas sans porc sera servi")).to_be_visible()
    _accessible_everywhere(page, assert_accessible)
    page.goto(live_server.url + "/espace-famille/")
    expect(page.get_by_text("nouveau message")).to_have_count(0)

    # The second guardian still has it unread.
    other = page_signed_in(browser, live_server, marc)
    other.goto(live_server.url + "/espace-famille/")
    expect(
        other.get_by_role("link", name=re.compile("vous avez 1 nouveau message"))
    ).to_be_visible()
    assert thread.messages.count() == 2

    # The e-mail preferences page.
    page.goto(live_server.url + "/espace-famille/messages/preferences-e-mail/")
    _accessible_everywhere(page, assert_accessible)


@live_db
def test_the_family_document_list_with_every_state_passes_axe(
    live_server, page, login_as, assert_accessible
):
    from espace_prive.documents.services import document_upload
    from tests.factories import document_type

    family, user = make_family_with_login()
    for code in ("autre", "avis_imposition"):
        document_upload(
            actor=user, family=family, document_type=document_type(code),
            file=ContentFile(MINIMAL_PDF, name="a.pdf"),
        )  # fmt: skip
    Document.objects.filter(document_type__code="autre").update(
        state=ReviewState.REFUSED, reason="Illisible", reviewed_at="2026-01-01T10:00:00+01:00"
    )
    login_as(user)
    page.goto(live_server.url + "/espace-famille/documents/")
    expect(page.get_by_text("Motif du refus : Illisible")).to_be_visible()
    _accessible_everywhere(page, assert_accessible)
