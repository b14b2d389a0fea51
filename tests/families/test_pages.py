"""Family pages: home, Mon compte, Mes enfants, sections, photo, PDFs."""

import datetime
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.families.models import Child, Family
from tests.conftest import sign_in
from tests.factories import (
    MINIMAL_PDF,
    image_bytes,
    make_change_request,
    make_child,
    make_health_record,
    make_pickup_person,
    make_site,
    make_user,
    uploaded,
)
from tests.queries import count_get
from tests.reading import text

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"espace_prive:families:{name}", args=args)


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


# --- Who may enter -------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(_url("account"))
    assert response.status_code == 302
    assert reverse("espace_prive:accounts:login") in response["Location"]


@pytest.mark.parametrize("url_name", ["home", "account", "children", "requests"])
def test_a_login_without_family_gets_a_clear_page(client, staff_user, url_name):
    urls = {
        "home": reverse("espace_prive:home"),
        "account": _url("account"),
        "children": _url("children"),
        "requests": reverse("espace_prive:demandes:list"),
    }
    applicant = make_user(email="candidat@example.test")
    for user in (applicant, staff_user):
        sign_in(client, user)  # staff: second factor verified
        response = client.get(urls[url_name])
        assert response.status_code == 403
        assert "aucun dossier famille" in text(response)


# --- Home ----------------------------------------------------------------------------------


def test_home_shows_the_responsable_children_and_what_needs_attention(client_a, family_a):
    family, user = family_a
    guardian = family.guardians.get()
    child = family.children.get()
    make_change_request(
        family=family, section="family_address", values={"city": "Belval"}, actor=user
    )
    page = text(client_a.get(reverse("espace_prive:home")))
    assert guardian.full_name in page
    assert child.full_name in page
    assert "1 demande en attente de validation" in page
    assert "Aucun quotient familial" in page
    assert f"Autorisations à compléter pour {child.first_name}" in page
    assert f"Données sanitaires à compléter pour {child.first_name}" in page
    # No invoice yet: no balance invented (the navigation still leads to Mes factures).
    assert "solde" not in page.lower()
    assert "Mes factures" in page


def test_home_tells_of_an_expired_quotient(client_a, family_a):
    Family.objects.filter(pk=family_a.family.pk).update(
        quotient_familial=500,
        qf_valid_from=datetime.date(2020, 1, 1),
        qf_valid_to=datetime.date(2020, 12, 31),
    )
    page = text(client_a.get(reverse("espace_prive:home")))
    assert "n'est plus valable depuis le 31/12/2020" in page


# --- Mon compte ----------------------------------------------------------------------------


def test_mon_compte_shows_every_section_with_an_edit_link(client_a, family_a):
    family = family_a.family
    guardian = family.guardians.get()
    page = text(client_a.get(_url("account")))
    for key in ("family_address", "family_situation", "family_fiscal", "family_caf", "family_bank"):
        assert _url("account_edit", key) in page
    for key in ("guardian_identity", "guardian_phones", "guardian_email", "guardian_employer"):
        assert _url("guardian_edit", guardian.public_id, key) in page
    assert _url("guardian_add") in page
    assert _url("export") in page


def test_a_phone_change_becomes_a_request_marked_pending(client_a, family_a):
    guardian = family_a.guardian
    url = _url("guardian_edit", guardian.public_id, "guardian_phones")
    assert client_a.get(url).status_code == 200
    response = client_a.post(url, {"mobile_phone": "06 11 22 33 44"})
    assert response.status_code == 302
    change_request = ChangeRequest.objects.get()
    assert change_request.created_by == family_a.user
    guardian.refresh_from_db()
    assert guardian.mobile_phone == ""
    page = text(client_a.get(_url("account")))
    assert "en attente de validation" in page
    assert "06 11 22 33 44" in page
    # The section cannot be edited twice: the form says a request is pending.
    again = text(client_a.get(url))
    assert "déjà <strong>en attente de validation</strong>" in again
    assert client_a.post(url, {"mobile_phone": "07 00 00 00 00"}).status_code == 200
    assert ChangeRequest.objects.count() == 1


HTMX_FROM_ACCOUNT = {
    "hx-request": "true",
    "hx-current-url": "http://testserver/espace-famille/mon-compte/",
}


def test_htmx_opens_a_section_form_in_place_and_reloads_the_file_after_sending(client_a, family_a):
    guardian = family_a.guardian
    url = _url("guardian_edit", guardian.public_id, "guardian_phones")
    fragment = text(client_a.get(url, headers=HTMX_FROM_ACCOUNT))
    assert 'id="formulaire-rubrique"' in fragment
    assert 'role="group" aria-labelledby="formulaire-rubrique-titre"' in fragment
    assert f'hx-post="{url}"' in fragment
    response = client_a.post(url, {"mobile_phone": "06 11 22 33 44"}, headers=HTMX_FROM_ACCOUNT)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"  # the file's page, reloaded with the news
    assert ChangeRequest.objects.get().changes["mobile_phone"]["new"] == "06 11 22 33 44"
    # On its own page (no htmx, or htmx from that same page), no second title.
    assert 'role="group"' not in text(client_a.get(url))
    own_page = {"hx-request": "true", "hx-current-url": f"http://testserver{url}"}
    assert 'role="group"' not in text(client_a.get(url, headers=own_page))


def test_htmx_on_the_forms_own_page_goes_back_to_the_file(client_a, family_a):
    url = _url("account_edit", "family_address")
    own_page = {"hx-request": "true", "hx-current-url": f"http://testserver{url}"}
    response = client_a.post(
        url, {"address": "3 rue des Lilas", "postcode": "45000", "city": "Belval"}, headers=own_page
    )
    assert response["HX-Redirect"] == _url("account") + "#family_address"


def test_htmx_swaps_the_errors_in_and_stores_nothing(client_a, family_a):
    response = client_a.post(
        _url("account_edit", "family_bank"),
        {"account_holder": "A", "iban": "FR76 3000 6000 0112 3456 7890 188", "bic": "AGRIFRPP"},
        headers=HTMX_FROM_ACCOUNT,
    )
    assert response.status_code == 400
    assert "HX-Redirect" not in response
    page = text(response)
    assert 'id="formulaire-rubrique"' in page and "clé de contrôle" in page
    assert not ChangeRequest.objects.exists()


def test_htmx_cannot_open_another_familys_section(client_b, family_a):
    guardian = family_a.guardian
    url = _url("guardian_edit", guardian.public_id, "guardian_phones")
    response = client_b.get(url, headers=HTMX_FROM_ACCOUNT)
    assert response.status_code == 404
    assert guardian.last_name not in text(response)


def test_an_invalid_iban_gets_a_french_error_and_nothing_is_stored(client_a, family_a):
    response = client_a.post(
        _url("account_edit", "family_bank"),
        {"account_holder": "A", "iban": "FR76 3000 6000 0112 3456 7890 188", "bic": "AGRIFRPP"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "clé de contrôle" in page
    assert "Le formulaire contient 1 erreur" in page
    assert not ChangeRequest.objects.exists()


def test_a_family_cannot_set_staff_only_fields_through_a_form(client_a, family_a):
    family = family_a.family
    reference = family.reference
    client_a.post(
        _url("account_edit", "family_caf"),
        {
            "allowance_body": "caf",
            "allowance_number": "123",
            "reference": "PIRATE",
            "qf_valid_from": "2020-01-01",
            "qf_valid_to": "2099-12-31",
            "sepa_mandate_reference": "X",
            "state": "acceptee",
            "family": "999",
        },
    )
    change_request = ChangeRequest.objects.get()
    assert set(change_request.changes) == {"allowance_body", "allowance_number"}
    assert change_request.state == RequestState.PENDING
    family.refresh_from_db()
    assert family.reference == reference
    assert family.qf_valid_from is None and family.sepa_mandate_reference == ""


def test_a_new_quotient_needs_its_certificate(client_a, family_a):
    url = _url("account_edit", "family_caf")
    data = {"allowance_body": "caf", "allowance_number": "123", "quotient_familial": "1 612,50"}
    response = client_a.post(url, data)
    assert response.status_code == 400
    assert "Joignez l'attestation" in text(response)
    pdf = uploaded(MINIMAL_PDF, "attestation.pdf", "application/pdf")
    assert client_a.post(url, {**data, "qf_proof": pdf}).status_code == 302
    change_request = ChangeRequest.objects.get()
    assert change_request.changes["quotient_familial"]["new"] == "1612.50"
    assert storages["private"].exists(change_request.changes["qf_proof"]["new"])


def test_the_second_responsable_is_added_by_request(client_a, family_a):
    response = client_a.post(
        _url("guardian_add"),
        {"civility": "m", "last_name": "Durand", "first_name": "Paul", "email": "p@example.test"},
    )
    assert response.status_code == 302
    assert ChangeRequest.objects.get().section == "guardian_new"
    assert "Ajout de Paul Durand" in text(client_a.get(_url("account")))


# --- Mes enfants ---------------------------------------------------------------------------


def test_mes_enfants_lists_the_children_with_alerts_and_pending_marks(client_a, family_a):
    family, user = family_a
    child = family.children.get()
    make_health_record(child=child, has_pai=True, allergies="Arachide")
    make_change_request(
        family=family,
        section="child_schooling",
        child=child,
        values={"class_level": "CP"},
        actor=user,
    )
    page = text(client_a.get(_url("children")))
    assert child.full_name in page
    assert "PAI" in page and "Allergie" in page
    assert "1 modification en attente de validation" in page


def test_mes_enfants_costs_the_same_queries_for_1_and_30_children(client_a, family_a):
    family = family_a.family
    school = make_site()
    Child.objects.filter(family=family).update(school=school)
    client_a.get(_url("children"))  # the first request of a session records its facts
    one = count_get(client_a, _url("children"))
    for n in range(29):
        child = make_child(family=family, first_name=f"Enfant-{n}", school=school)
        make_health_record(child=child, allergies="Pollen" if n % 2 else "")
        make_pickup_person(child=child)
        make_change_request(
            family=family, section="child_schooling", child=child, values={"class_level": "CP"}
        )
    thirty = count_get(client_a, _url("children"))
    assert family.children.count() == 30
    assert thirty == one


def test_child_detail_shows_each_section(client_a, family_a):
    child = family_a.child
    make_pickup_person(child=child, first_name="Anne", last_name="Roux")
    page = text(client_a.get(_url("child", child.public_id)))
    for title in (
        "Autorisations",
        "Données complémentaires",
        "Données sanitaires",
        "Photo",
        "Inscriptions en cours",
        "Anne Roux",
        "Aucune inscription en cours",
    ):
        assert title in page
    for key in ("child_authorisations", "child_complementary", "health_allergies", "health_pai"):
        assert _url("child_edit", child.public_id, key) in page


def test_an_allergy_change_is_a_request_on_the_health_record(client_a, family_a):
    child = family_a.child
    url = _url("child_edit", child.public_id, "health_allergies")
    response = client_a.post(url, {"allergies": "Arachide", "diet": "sans_porc"})
    assert response.status_code == 302
    change_request = ChangeRequest.objects.get()
    assert change_request.section == "health_allergies"
    assert change_request.changes["diet"]["new_display"] == "Sans porc"
    page = text(client_a.get(_url("child", child.public_id)))
    assert "Arachide" in page and "En attente de validation" in page


def test_authorisations_need_an_answer(client_a, family_a):
    child = family_a.child
    response = client_a.post(
        _url("child_edit", child.public_id, "child_authorisations"), {"photo_rights": "oui"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Autorisé à partir seul : Champ requis." in page
    assert 'href="#id_may_leave_alone"' in page  # the summary reaches the radio group
    response = client_a.post(
        _url("child_edit", child.public_id, "child_authorisations"),
        {
            "photo_rights": "oui",
            "may_leave_alone": "non",
            "emergency_care": "oui",
            "transport": "oui",
        },
    )
    assert response.status_code == 302
    changes = ChangeRequest.objects.get().changes
    assert changes["may_leave_alone"] == {
        "old": None,
        "new": False,
        "old_display": "Non renseigné",
        "new_display": "Non",
    }


def test_adding_a_child_is_a_request(client_a, family_a):
    school = make_site(name="École des Lilas")
    response = client_a.post(
        _url("child_add"),
        {
            "last_name": "Test",
            "first_name": "Zoé",
            "birth_date": "2022-01-05",
            "sex": "F",
            "school": str(school.public_id),
            "class_level": "PS",
        },
    )
    assert response.status_code == 302
    change_request = ChangeRequest.objects.get()
    assert change_request.section == "child_new"
    assert change_request.changes["school"]["new"] == school.pk
    assert change_request.changes["school"]["new_display"] == "École des Lilas"
    assert family_a.family.children.count() == 1
    assert "Zoé Test" in text(client_a.get(_url("children")))


def test_a_birth_date_in_the_future_is_refused(client_a, family_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_a.post(
        _url("child_add"),
        {"last_name": "Test", "first_name": "Zoé", "birth_date": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "La date de naissance ne peut pas être dans le futur." in text(response)
    assert not ChangeRequest.objects.exists()


def _stored_files(settings):
    return sorted(str(p) for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file())


# --- Photo ---------------------------------------------------------------------------------


def test_a_new_photo_is_a_request_the_family_sees_pending(client_a, family_a):
    child = family_a.child
    response = client_a.post(
        _url("child_photo_edit", child.public_id), {"photo": uploaded(image_bytes())}
    )
    assert response.status_code == 302
    change_request = ChangeRequest.objects.get()
    page = text(client_a.get(_url("child", child.public_id)))
    pending_url = reverse("espace_prive:demandes:file", args=[change_request.public_id, "photo"])
    assert pending_url in page
    photo = client_a.get(pending_url)
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "JPEG ou PNG"),
        (b"\xff\xd8\xff" + b"x" * 100, "JPEG ou PNG"),
        (b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10), "5 Mo"),
    ],
    ids=["svg", "corrupt", "oversized"],
)
def test_a_bad_photo_is_refused_in_french_and_nothing_is_stored(
    client_a, family_a, data, message, settings
):
    child = family_a.child
    stored_before = _stored_files(settings)
    response = client_a.post(
        _url("child_photo_edit", child.public_id), {"photo": uploaded(data, "photo.svg")}
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not ChangeRequest.objects.exists()
    assert _stored_files(settings) == stored_before


def test_the_photo_is_served_only_through_the_checking_view(client_a, family_a):
    child = family_a.child
    name = storages["private"].save("enfants/p.jpg", ContentFile(image_bytes()))
    Child.objects.filter(pk=child.pk).update(photo=name)
    response = client_a.get(_url("child_photo", child.public_id))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


# --- PDF editions ----------------------------------------------------------------------------


def test_the_simple_sheet_has_no_health_data_and_the_complete_one_has(client_a, family_a):
    child = family_a.child
    make_health_record(
        child=child, allergies="Arachide sévère", has_pai=True, pai_details="Adrénaline"
    )
    make_pickup_person(child=child, first_name="Anne", last_name="Roux")
    simple = client_a.get(_url("child_sheet", child.public_id))
    assert simple["Content-Type"] == "application/pdf"
    simple_text = pdf_text(simple.content)
    assert child.full_name in simple_text and "Autorisations" in simple_text
    assert "Arachide" not in simple_text and "Anne Roux" not in simple_text
    complete = pdf_text(client_a.get(_url("child_sheet_complete", child.public_id)).content)
    assert "Arachide sévère" in complete
    assert "PAI" in complete
    assert "Anne Roux" in complete
    assert "Vaccinations et médecin" in complete


def test_the_blank_pre_registration_sheet_is_public(client):
    response = client.get(_url("preregistration_sheet"))
    assert response.status_code == 200
    sheet = pdf_text(response.content)
    assert "Fiche de pré-inscription" in sheet
    assert "Responsable légal 2" in sheet
    assert "Droit à l'image" in sheet


def test_the_sheet_names_the_responsables_with_their_civility_in_french(client_a, family_a):
    family = family_a.family
    child = family.children.get()
    guardian = family.guardians.get()
    guardian.civility = ""
    guardian.save()
    Child.objects.filter(pk=child.pk).update(sex="")
    sheet = pdf_text(client_a.get(_url("child_sheet", child.public_id)).content)
    assert "Non précisé" not in sheet
    assert f"Responsable 1 {guardian.full_name}" in " ".join(sheet.split())
    assert "né(e) le" in sheet
    guardian.civility = "mme"
    guardian.save()
    Child.objects.filter(pk=child.pk).update(sex="F")
    sheet = pdf_text(client_a.get(_url("child_sheet_complete", child.public_id)).content)
    assert f"Mme {guardian.full_name}" in sheet
    assert "née le" in sheet


def test_the_blank_pre_registration_sheet_asks_for_the_civility(client):
    sheet = " ".join(pdf_text(client.get(_url("preregistration_sheet")).content).split())
    assert sheet.count("Civilité Madame Monsieur") == 2
    assert "Sexe Fille Garçon" in sheet


def test_another_family_gets_404_for_the_sheets(client_a, family_a, family_b):
    from django.test import Client

    other = Client()
    other.force_login(family_b.user)
    child = family_a.child
    for name in ("child_sheet", "child_sheet_complete"):
        response = other.get(_url(name, child.public_id))
        assert response.status_code == 404
        assert child.first_name.encode() not in response.content
