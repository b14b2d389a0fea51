"""Bank details under an active SEPA mandate (issue 9.7): staff are warned, accepting ends
the mandate only once confirmed (and records it); an IBAN and its BIC share a country."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from espace_prive.demandes import services
from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.families.models import Family
from espace_prive.rgpd import family_export_zip
from tests.factories import make_change_request
from tests.reading import text

pytestmark = pytest.mark.django_db

IBAN = "FR7630006000011234567890189"
NEW_IBAN = "FR9730006000011234567890199"
GERMAN_IBAN = "DE89370400440532013000"
MANDATE = "BELVAL-FAM-00001-01"
SIGNED_ON = datetime.date(2024, 9, 2)
QUEUE = reverse("demandes_admin:index")


def _with_mandate(family):
    Family.objects.filter(pk=family.pk).update(
        account_holder="Alice Martin",
        iban=IBAN,
        bic="AGRIFRPPXXX",
        sepa_mandate_reference=MANDATE,
        sepa_mandate_signed_on=SIGNED_ON,
    )
    family.refresh_from_db()
    return family


def _bank_request(family_a, **values):
    family, user = family_a
    return make_change_request(
        family=family, section="family_bank", actor=user, values=values or {"iban": NEW_IBAN}
    )


@pytest.fixture
def mandate_family(family_a):
    return _with_mandate(family_a.family)


def test_a_change_of_bank_details_under_a_mandate_is_flagged_in_the_queue_and_diff(
    mandate_family, family_a, staff_client
):
    change_request = _bank_request(family_a)
    assert change_request.ends_sepa_mandate
    assert "Met fin au mandat SEPA en cours" in text(staff_client.get(QUEUE))
    detail = text(
        staff_client.get(reverse("demandes_admin:detail", args=[change_request.public_id]))
    )
    assert "Mandat SEPA en cours" in detail and MANDATE in detail
    assert 'name="end_mandate"' in detail and "02/09/2024" in detail


def test_removing_the_bank_details_is_flagged_too(mandate_family, family_a):
    change_request = _bank_request(family_a, account_holder="", iban="", bic="")
    assert change_request.ends_sepa_mandate


def test_without_a_mandate_nothing_is_flagged_nor_asked(family_a, staff_client):
    change_request = _bank_request(family_a, iban=IBAN, bic="AGRIFRPP")
    assert not change_request.ends_sepa_mandate
    url = reverse("demandes_admin:detail", args=[change_request.public_id])
    assert 'name="end_mandate"' not in text(staff_client.get(url))
    response = staff_client.post(url, {"action": "accepter"})
    assert response.status_code == 302
    change_request.refresh_from_db()
    assert change_request.state == RequestState.ACCEPTED
    assert change_request.ended_mandate_reference == ""


def test_accepting_without_confirming_the_end_of_the_mandate_changes_nothing(
    mandate_family, family_a, staff_client
):
    change_request = _bank_request(family_a)
    url = reverse("demandes_admin:detail", args=[change_request.public_id])
    response = staff_client.post(url, {"action": "accepter"})
    assert response.status_code == 400
    assert "Cochez cette case pour confirmer la fin du mandat SEPA" in text(response)
    change_request.refresh_from_db()
    mandate_family.refresh_from_db()
    assert change_request.state == RequestState.PENDING
    assert mandate_family.iban == IBAN and mandate_family.sepa_mandate_reference == MANDATE


def test_accepting_with_the_confirmation_ends_the_mandate_and_records_it(
    mandate_family, family_a, staff_client
):
    change_request = _bank_request(family_a)
    url = reverse("demandes_admin:detail", args=[change_request.public_id])
    response = staff_client.post(url, {"action": "accepter", "end_mandate": "on"}, follow=True)
    assert f"Le mandat SEPA {MANDATE} est clos." in text(response)
    change_request.refresh_from_db()
    mandate_family.refresh_from_db()
    assert change_request.state == RequestState.ACCEPTED
    assert (change_request.ended_mandate_reference, change_request.ended_mandate_signed_on) == (
        MANDATE,
        SIGNED_ON,
    )
    assert mandate_family.iban == NEW_IBAN
    assert mandate_family.sepa_mandate_reference == ""
    assert mandate_family.sepa_mandate_signed_on is None
    assert not mandate_family.has_active_sepa_mandate
    detail = text(staff_client.get(url))
    assert "Mandat SEPA clos" in detail and MANDATE in detail
    archive = family_export_zip(actor=family_a.user, family=mandate_family)
    export = zipfile.ZipFile(io.BytesIO(archive))
    data = json.loads(export.read(next(n for n in export.namelist() if n.endswith(".json"))))
    exported = next(r for r in data["requests"] if r["public_id"] == str(change_request.public_id))
    assert exported["ended_sepa_mandate"] == {"reference": MANDATE, "signed_on": "2024-09-02"}


def test_the_service_asks_for_the_confirmation_at_decision_time(family_a, staff_user):
    """A mandate signed after the family asked is seen when staff decide."""
    change_request = _bank_request(family_a, bic="AGRIFRPP")
    _with_mandate(family_a.family)
    Family.objects.filter(pk=family_a.family.pk).update(bic="")
    with pytest.raises(ValidationError) as raised:
        services.request_accept(actor=staff_user, change_request=change_request)
    assert "end_mandate" in raised.value.message_dict
    assert ChangeRequest.objects.get(pk=change_request.pk).state == RequestState.PENDING


def test_a_section_applied_at_once_still_waits_for_staff_under_a_mandate(
    mandate_family, family_a, settings
):
    settings.DEMANDES_AUTO_APPLY_SECTIONS = ["family_bank"]
    change_request = _bank_request(family_a)
    assert change_request.state == RequestState.PENDING
    mandate_family.refresh_from_db()
    assert mandate_family.iban == IBAN


def test_an_ended_mandate_is_only_recorded_on_an_accepted_request(family_a):
    from django.db import IntegrityError, transaction

    change_request = _bank_request(family_a, iban=IBAN)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChangeRequest.objects.filter(pk=change_request.pk).update(
            ended_mandate_reference=MANDATE, ended_mandate_signed_on=SIGNED_ON
        )


# --- The IBAN's country and the BIC's -----------------------------------------------------


@pytest.mark.parametrize(
    ("iban", "bic"),
    [(IBAN, "COBADEFFXXX"), (GERMAN_IBAN, "AGRIFRPPXXX"), (IBAN, "BNPAGBPP")],
)
def test_an_iban_and_a_bic_of_different_countries_are_refused_in_french(family_a, iban, bic):
    with pytest.raises(ValidationError) as raised:
        _bank_request(family_a, account_holder="Alice", iban=iban, bic=bic)
    message = raised.value.message_dict["bic"][0]
    assert "autre pays" in message and "vérifiez" in message
    assert not ChangeRequest.objects.exists()


@pytest.mark.parametrize(
    ("iban", "bic"),
    [(IBAN, "AGRIFRPP"), (GERMAN_IBAN, "COBADEFFXXX"), (IBAN, "BDAFGPGP"), (IBAN, "")],
)
def test_matching_countries_and_french_overseas_banks_are_accepted(family_a, iban, bic):
    assert _bank_request(family_a, account_holder="Alice", iban=iban, bic=bic).pk


def test_the_family_page_and_the_api_show_the_error_under_the_bic(family_a, client_a):
    body = {"account_holder": "Alice", "iban": GERMAN_IBAN, "bic": "AGRIFRPPXXX"}
    url = reverse("espace_prive:families:account_edit", args=["family_bank"])
    response = client_a.post(url, body)
    assert response.status_code == 400
    assert "autre pays (FR) que l'IBAN (DE)" in text(response)
    api = APIClient()
    api.force_authenticate(family_a.user)
    response = api.post(
        "/api/v1/requests/", {"section": "family_bank", "changes": body}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]["changes"]) == ["bic"]
    assert not ChangeRequest.objects.exists()


def test_staff_editing_the_family_get_the_same_check(family_a):
    family = family_a.family
    family.iban, family.bic = GERMAN_IBAN, "AGRIFRPPXXX"
    with pytest.raises(ValidationError) as raised:
        family.full_clean()
    assert "bic" in raised.value.message_dict
    family.bic = "COBADEFF"
    family.full_clean()
