"""request_create / request_accept / request_refuse / request_cancel."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from espace_prive.demandes import services
from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.families.models import Child, Guardian, HealthRecord, PickupPerson
from espace_prive.families.sections import Operation
from tests.factories import (
    MINIMAL_PDF,
    image_bytes,
    make_allergy_request,
    make_change_request,
    make_health_record,
    make_pickup_person,
    make_staff_with_perms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def guardian(family_a):
    return family_a.guardian


def _phone_request(family_a, guardian, number="06 11 22 33 44"):
    return make_change_request(
        family=family_a.family,
        section="guardian_phones",
        guardian=guardian,
        actor=family_a.user,
        values={"mobile_phone": number, "home_phone": "", "work_phone": ""},
    )


def test_a_request_holds_only_the_changed_fields_with_old_and_new(family_a, guardian):
    guardian.home_phone = "02 38 00 00 00"
    guardian.save()
    change_request = make_change_request(
        family=family_a.family,
        section="guardian_phones",
        guardian=guardian,
        actor=family_a.user,
        values={"mobile_phone": "06 11 22 33 44", "home_phone": "02 38 00 00 00"},
    )
    assert change_request.state == RequestState.PENDING
    assert change_request.changes == {
        "mobile_phone": {
            "old": "",
            "new": "06 11 22 33 44",
            "old_display": "Non renseigné",
            "new_display": "06 11 22 33 44",
        }
    }
    guardian.refresh_from_db()
    assert guardian.mobile_phone == ""  # nothing applied before staff accept


def test_a_request_without_any_change_is_refused(family_a, guardian):
    with pytest.raises(ValidationError, match="Aucune modification"):
        make_change_request(
            family=family_a.family,
            section="guardian_phones",
            guardian=guardian,
            values={"mobile_phone": guardian.mobile_phone},
        )
    assert not ChangeRequest.objects.exists()


def test_a_second_pending_request_on_the_same_section_is_refused(family_a, guardian):
    _phone_request(family_a, guardian)
    with pytest.raises(ValidationError, match="déjà en attente"):
        _phone_request(family_a, guardian, "06 99 99 99 99")
    assert ChangeRequest.objects.count() == 1


def test_fields_outside_the_section_are_refused(family_a):
    family = family_a.family
    with pytest.raises(ValidationError) as caught:
        make_change_request(
            family=family, section="family_caf", values={"qf_valid_from": timezone.localdate()}
        )
    assert "qf_valid_from" in caught.value.message_dict
    with pytest.raises(ValidationError):
        make_change_request(family=family, section="family_address", values={"reference": "X"})
    assert not ChangeRequest.objects.exists()


def test_an_invalid_iban_is_refused_by_the_service_too(family_a):
    with pytest.raises(ValidationError) as caught:
        make_change_request(
            family=family_a.family,
            section="family_bank",
            values={"iban": "FR7630006000011234567890188"},
        )
    assert "clé de contrôle" in " ".join(caught.value.message_dict["iban"])
    assert not ChangeRequest.objects.exists()


def test_another_familys_child_cannot_be_named(family_a, family_b):
    with pytest.raises(PermissionDenied):
        make_change_request(
            family=family_a.family,
            section="child_identity",
            child=family_b.child,
            values={"first_name": "Volé"},
        )


def test_accepting_applies_the_change_and_tells_the_family(
    family_a, guardian, staff_user, django_capture_on_commit_callbacks
):
    change_request = _phone_request(family_a, guardian)
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.request_accept(actor=staff_user, change_request=change_request)
    assert decided.state == RequestState.ACCEPTED
    assert decided.decided_by == staff_user
    guardian.refresh_from_db()
    assert guardian.mobile_phone == "06 11 22 33 44"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [family_a.user.email]
    assert "acceptée" in message.subject
    assert str(change_request.public_id) in message.body


def test_the_email_waits_for_the_commit(family_a, guardian, staff_user):
    change_request = _phone_request(family_a, guardian)
    services.request_accept(actor=staff_user, change_request=change_request)
    # In a test transaction nothing commits: on_commit callbacks have not run.
    assert mail.outbox == []


def test_a_change_made_meanwhile_is_a_conflict_and_nothing_is_applied(
    family_a, guardian, staff_user, django_capture_on_commit_callbacks
):
    change_request = make_change_request(
        family=family_a.family,
        section="guardian_phones",
        guardian=guardian,
        values={"mobile_phone": "06 11 22 33 44", "work_phone": "01 01 01 01 01"},
    )
    Guardian.objects.filter(pk=guardian.pk).update(work_phone="09 09 09 09 09")
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.request_accept(actor=staff_user, change_request=change_request)
    assert decided.state == RequestState.CONFLICT
    assert "téléphone professionnel" in decided.reason
    guardian.refresh_from_db()
    assert (guardian.mobile_phone, guardian.work_phone) == ("", "09 09 09 09 09")
    assert "n'a pas pu être appliquée" in mail.outbox[0].subject


def test_refusing_needs_a_reason_which_the_family_reads(
    family_a, guardian, staff_user, django_capture_on_commit_callbacks
):
    change_request = _phone_request(family_a, guardian)
    with pytest.raises(ValidationError, match="motif"):
        services.request_refuse(actor=staff_user, change_request=change_request, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.request_refuse(
            actor=staff_user, change_request=change_request, reason="Numéro incomplet."
        )
    assert (decided.state, decided.reason) == (RequestState.REFUSED, "Numéro incomplet.")
    guardian.refresh_from_db()
    assert guardian.mobile_phone == ""
    assert "Motif : Numéro incomplet." in mail.outbox[0].body


def test_a_decided_request_cannot_be_decided_again(family_a, guardian, staff_user):
    change_request = _phone_request(family_a, guardian)
    services.request_refuse(actor=staff_user, change_request=change_request, reason="Non.")
    with pytest.raises(services.RequestAlreadyDecided):
        services.request_accept(actor=staff_user, change_request=change_request)
    guardian.refresh_from_db()
    assert guardian.mobile_phone == ""


def test_deciding_needs_the_permission(family_a, guardian):
    change_request = _phone_request(family_a, guardian)
    viewer = make_staff_with_perms("demandes.view_changerequest")
    with pytest.raises(PermissionDenied):
        services.request_accept(actor=viewer, change_request=change_request)
    with pytest.raises(PermissionDenied):
        services.request_refuse(actor=viewer, change_request=change_request, reason="x")
    assert ChangeRequest.objects.get().state == RequestState.PENDING


def test_deciding_on_health_data_needs_the_health_permission(family_a):
    child = family_a.child
    change_request = make_allergy_request(family=family_a.family, child=child, allergies="Œuf")
    decider = make_staff_with_perms("demandes.decide_changerequest")
    with pytest.raises(PermissionDenied, match="sanitaires"):
        services.request_accept(actor=decider, change_request=change_request)
    health_decider = make_staff_with_perms(
        "demandes.decide_changerequest", "families.view_health_record"
    )
    services.request_accept(actor=health_decider, change_request=change_request)
    assert HealthRecord.objects.get(child=child).allergies == "Œuf"


def test_the_family_can_withdraw_a_pending_request(family_a, family_b, guardian):
    change_request = _phone_request(family_a, guardian)
    with pytest.raises(PermissionDenied):
        services.request_cancel(
            actor=family_b.user, family=family_b.family, change_request=change_request
        )
    cancelled = services.request_cancel(
        actor=family_a.user, family=family_a.family, change_request=change_request
    )
    assert cancelled.state == RequestState.CANCELLED
    # A new request on the same section is possible again.
    _phone_request(family_a, guardian, "06 55 55 55 55")


def test_sections_configured_to_apply_at_once_need_no_validation(
    family_a, guardian, settings, django_capture_on_commit_callbacks
):
    settings.DEMANDES_AUTO_APPLY_SECTIONS = ["guardian_phones"]
    with django_capture_on_commit_callbacks(execute=True):
        change_request = _phone_request(family_a, guardian)
    assert change_request.state == RequestState.ACCEPTED
    assert change_request.auto_applied and change_request.decided_by is None
    guardian.refresh_from_db()
    assert guardian.mobile_phone == "06 11 22 33 44"
    assert mail.outbox == []
    # Other sections still wait for staff.
    other = make_change_request(
        family=family_a.family, section="family_address", values={"city": "Belval"}
    )
    assert other.state == RequestState.PENDING


def test_by_default_everything_is_validated(settings):
    from cms.settings import base

    assert base.DEMANDES_AUTO_APPLY_SECTIONS == []


def test_an_unknown_auto_apply_section_is_a_system_check_error(settings):
    from espace_prive.demandes.checks import auto_apply_sections_exist

    settings.DEMANDES_AUTO_APPLY_SECTIONS = ["guardian_phones", "telepathie", "child_new"]
    assert [e.id for e in auto_apply_sections_exist(None)] == ["demandes.E001", "demandes.E002"]


def test_adding_a_child_is_a_request_and_accepting_creates_it(family_a, staff_user):
    family = family_a.family
    change_request = make_change_request(
        family=family,
        section="child_new",
        operation=Operation.CREATE,
        values={"first_name": "Zoé", "last_name": "Test", "birth_date": datetime.date(2022, 1, 5)},
    )
    assert family.children.count() == 1
    decided = services.request_accept(actor=staff_user, change_request=change_request)
    child = family.children.get(first_name="Zoé")
    assert decided.child == child
    assert HealthRecord.objects.filter(child=child).exists()


def test_a_child_born_in_the_future_is_refused(family_a):
    with pytest.raises(ValidationError, match="futur"):
        make_change_request(
            family=family_a.family,
            section="child_new",
            operation=Operation.CREATE,
            values={
                "first_name": "Zoé",
                "last_name": "Test",
                "birth_date": timezone.localdate() + datetime.timedelta(days=1),
            },
        )
    assert not ChangeRequest.objects.exists()


def test_a_duplicate_child_is_refused_at_once(family_a):
    child = family_a.child
    with pytest.raises(ValidationError):
        make_change_request(
            family=family_a.family,
            section="child_new",
            operation=Operation.CREATE,
            values={
                "first_name": child.first_name.upper(),
                "last_name": "X",
                "birth_date": child.birth_date,
            },
        )


def test_pick_up_persons_are_added_changed_and_removed_by_request(family_a, staff_user):
    family = family_a.family
    child = family.children.get()
    added = make_change_request(
        family=family,
        section="pickup_person",
        operation=Operation.CREATE,
        child=child,
        values={"first_name": "Anne", "last_name": "Roux", "phone": "06 01 02 03 04"},
    )
    services.request_accept(actor=staff_user, change_request=added)
    person = PickupPerson.objects.get(child=child)
    changed = make_change_request(
        family=family,
        section="pickup_person",
        child=child,
        pickup_person=person,
        values={"phone": "06 99 88 77 66"},
    )
    services.request_accept(actor=staff_user, change_request=changed)
    person.refresh_from_db()
    assert person.phone == "06 99 88 77 66"
    removed = make_change_request(
        family=family,
        section="pickup_person",
        operation=Operation.DELETE,
        child=child,
        pickup_person=person,
    )
    assert removed.changes["phone"]["old"] == "06 99 88 77 66"
    services.request_accept(actor=staff_user, change_request=removed)
    assert not PickupPerson.objects.filter(child=child).exists()
    removed.refresh_from_db()
    assert removed.subject.startswith("Anne Roux")


def test_removing_a_person_already_removed_is_a_conflict(family_a, staff_user):
    child = family_a.child
    person = make_pickup_person(child=child)
    removed = make_change_request(
        family=family_a.family,
        section="pickup_person",
        operation=Operation.DELETE,
        child=child,
        pickup_person=person,
    )
    person.delete()
    removed.refresh_from_db()
    decided = services.request_accept(actor=staff_user, change_request=removed)
    assert decided.state == RequestState.CONFLICT


def test_a_new_photo_waits_in_private_storage_and_replaces_the_old_one(
    family_a, staff_user, django_capture_on_commit_callbacks
):
    storage = storages["private"]
    child = family_a.child
    old_name = storage.save("enfants/ancienne.jpg", ContentFile(image_bytes()))
    Child.objects.filter(pk=child.pk).update(photo=old_name)
    child.refresh_from_db()
    change_request = make_change_request(
        family=family_a.family,
        section="child_photo",
        child=child,
        values={"photo": ContentFile(image_bytes(size=(100, 100)), name="photo.jpg")},
    )
    new_name = change_request.changes["photo"]["new"]
    assert new_name.startswith(f"demandes/{change_request.public_id}/")
    assert storage.exists(new_name)
    child.refresh_from_db()
    assert child.photo.name == old_name
    with django_capture_on_commit_callbacks(execute=True):
        services.request_accept(actor=staff_user, change_request=change_request)
    child.refresh_from_db()
    assert child.photo.name == new_name
    assert not storage.exists(old_name)


def test_a_refused_document_is_deleted(family_a, staff_user, django_capture_on_commit_callbacks):
    storage = storages["private"]
    child = family_a.child
    make_health_record(child=child)
    change_request = make_change_request(
        family=family_a.family,
        section="health_pai",
        child=child,
        values={
            "has_pai": True,
            "pai_details": "Asthme",
            "pai_document": ContentFile(MINIMAL_PDF, name="document.pdf"),
        },
    )
    name = change_request.changes["pai_document"]["new"]
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_refuse(actor=staff_user, change_request=change_request, reason="Illisible")
    assert not storage.exists(name)


def test_accepting_a_quotient_familial_sets_its_validity(family_a, staff_user):
    family = family_a.family
    change_request = make_change_request(
        family=family,
        section="family_caf",
        values={
            "quotient_familial": Decimal("612.5"),
            "qf_proof": ContentFile(MINIMAL_PDF, name="attestation.pdf"),
        },
    )
    assert change_request.changes["quotient_familial"]["new"] == "612.50"
    assert change_request.changes["quotient_familial"]["new_display"] == "612,50"
    with pytest.raises(ValidationError):
        services.request_accept(
            actor=staff_user,
            change_request=change_request,
            qf_valid_from=datetime.date(2026, 6, 1),
            qf_valid_to=datetime.date(2026, 1, 1),
        )
    services.request_accept(
        actor=staff_user,
        change_request=change_request,
        qf_valid_from=datetime.date(2026, 1, 1),
        qf_valid_to=datetime.date(2026, 12, 31),
    )
    family.refresh_from_db()
    assert family.quotient_familial == Decimal("612.50")
    assert (family.qf_valid_from, family.qf_valid_to) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert family.qf_proof.name == change_request.changes["qf_proof"]["new"]


def test_a_quotient_is_never_applied_at_once_even_if_configured(family_a, settings):
    settings.DEMANDES_AUTO_APPLY_SECTIONS = ["family_caf"]
    family = family_a.family
    change_request = make_change_request(
        family=family,
        section="family_caf",
        values={
            "quotient_familial": Decimal("150"),
            "qf_proof": ContentFile(MINIMAL_PDF, name="attestation.pdf"),
        },
    )
    assert change_request.state == RequestState.PENDING
    assert not change_request.auto_applied
    family.refresh_from_db()
    assert family.quotient_familial != Decimal("150")
    assert family.qf_valid_from is None or family.qf_valid_from < timezone.localdate()


def test_applying_a_quotient_section_at_once_is_a_system_check_error(settings):
    from espace_prive.demandes.checks import auto_apply_sections_exist

    settings.DEMANDES_AUTO_APPLY_SECTIONS = ["guardian_phones", "family_caf"]
    errors = auto_apply_sections_exist(None)
    assert [e.id for e in errors] == ["demandes.E003"]
    assert "family_caf" in errors[0].msg
