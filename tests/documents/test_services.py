"""The document store's rules: content checks, expiry, replacement, review."""

import datetime
import io
import os

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from espace_prive.documents import selectors, services
from espace_prive.documents.models import Document, DocumentType, ReviewState, add_months
from tests.factories import (
    MINIMAL_PDF,
    document_type,
    image_bytes,
    make_child,
    make_document,
    make_family_with_login,
    make_staff_with_perms,
    uploaded,
)

pytestmark = pytest.mark.django_db


def stored_files():
    root = storages["private"].location
    names = set()
    for folder, _dirs, files in os.walk(root):
        names.update(os.path.join(folder, name) for name in files)
    return names


@pytest.fixture
def reviewer(db):
    return make_staff_with_perms("documents.view_document", "documents.review_document")


def upload(family, user, data, *, name="doc.pdf", code="autre", **kwargs):
    return services.document_upload(
        actor=user,
        family=family,
        document_type=document_type(code),
        file=uploaded(data, name=name, content_type="application/pdf"),
        **kwargs,
    )


def test_the_town_list_of_types_is_there():
    assert set(DocumentType.objects.values_list("code", flat=True)) >= {
        "attestation_caf",
        "avis_imposition",
        "attestation_assurance",
        "carnet_vaccination",
        "justificatif_domicile",
        "jugement_garde",
        "certificat_medical",
        "autre",
    }


def test_a_pdf_is_stored_privately_and_waits_for_review(family_a):
    family, user = family_a
    document = upload(family, user, MINIMAL_PDF, name="mon attestation.pdf")
    assert document.state == ReviewState.PENDING
    assert document.file.name.startswith(f"documents/{family.public_id}/")
    assert document.file.name.endswith(".pdf")
    assert document.original_name == "mon attestation.pdf"
    assert storages["private"].open(document.file.name).read() == MINIMAL_PDF
    with pytest.raises(ValueError):
        _ = document.file.url  # no public URL, ever


def test_an_image_is_reencoded_without_its_metadata(family_a):
    family, user = family_a
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"  # Make
    data = image_bytes(exif=exif.tobytes())
    document = upload(family, user, data, name="scan.jpg")
    stored = storages["private"].open(document.file.name).read()
    assert stored != data
    assert b"Appareil secret" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"MZ\x90\x00 not a document",
    ],
    ids=["html", "svg", "exe"],
)
def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_and_nothing_stored(family_a, data):
    family, user = family_a
    before = stored_files()
    with pytest.raises(ValidationError) as error:
        upload(family, user, data, name="attestation.pdf")
    assert "PDF, une image JPEG ou une image PNG" in " ".join(error.value.messages)
    assert Document.objects.count() == 0
    assert stored_files() == before


def test_a_20_mb_file_is_refused(family_a):
    family, user = family_a
    with pytest.raises(ValidationError) as error:
        upload(family, user, MINIMAL_PDF + b"0" * (20 * 1024 * 1024))
    assert "5 Mo" in " ".join(error.value.messages)
    assert Document.objects.count() == 0


def test_an_inactive_type_is_refused(family_a):
    family, user = family_a
    DocumentType.objects.filter(code="autre").update(is_active=False)
    with pytest.raises(ValidationError):
        upload(family, user, MINIMAL_PDF)


def test_a_type_about_a_child_needs_one_of_the_family_s_children(family_a, family_b):
    family, user = family_a
    with pytest.raises(ValidationError) as error:
        upload(family, user, MINIMAL_PDF, code="carnet_vaccination")
    assert "enfant" in " ".join(error.value.messages)
    with pytest.raises(PermissionDenied):
        upload(family, user, MINIMAL_PDF, code="carnet_vaccination", child=family_b.child)
    document = upload(
        family, user, MINIMAL_PDF, code="carnet_vaccination", child=family.children.get()
    )
    assert document.child == family.children.get()


def test_the_expiry_follows_the_type(family_a):
    family, user = family_a
    today = timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    insurance = upload(
        family, user, MINIMAL_PDF, code="attestation_assurance", child=family.children.get()
    )
    assert insurance.expires_on == datetime.date(start_year + 1, 8, 31)
    proof = upload(family, user, MINIMAL_PDF, code="justificatif_domicile")
    assert proof.expires_on == add_months(today, 3)
    other = upload(family, user, MINIMAL_PDF)
    assert other.expires_on is None


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)


def test_an_expiry_in_the_past_is_refused(family_a):
    family, user = family_a
    with pytest.raises(ValidationError):
        upload(family, user, MINIMAL_PDF, expires_on=timezone.localdate() - datetime.timedelta(1))


def test_replacing_keeps_the_old_one_as_history(family_a):
    family, user = family_a
    old = make_document(family=family, actor=user)
    new = upload(family, user, MINIMAL_PDF, replaces=old)
    assert new.supersedes == old
    assert list(selectors.documents_for_family(family)) == [new]
    assert selectors.document_history(new) == [old]
    with pytest.raises(ValidationError):
        upload(family, user, MINIMAL_PDF, replaces=old)  # already replaced


def test_a_family_cannot_replace_another_family_s_document(family_a, family_b):
    other = make_document(family=family_b.family)
    with pytest.raises(PermissionDenied):
        upload(family_a.family, family_a.user, MINIMAL_PDF, replaces=other)


def test_a_pending_document_can_be_withdrawn_and_its_file_goes(
    family_a, django_capture_on_commit_callbacks
):
    family, user = family_a
    document = make_document(family=family, actor=user)
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=user, family=family, document=document)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not storages["private"].exists(name)


def test_an_accepted_document_cannot_be_deleted_by_the_family(family_a, reviewer):
    family, user = family_a
    document = make_document(family=family, actor=user)
    services.document_accept(actor=reviewer, document=document)
    with pytest.raises(ValidationError) as error:
        services.document_delete(actor=user, family=family, document=document)
    assert "remplacer" in " ".join(error.value.messages)
    assert Document.objects.filter(pk=document.pk).exists()


def test_accepting_stamps_who_and_when_and_tells_the_family(
    family_a, reviewer, django_capture_on_commit_callbacks
):
    family, user = family_a
    document = make_document(family=family, actor=user, code="avis_imposition")
    new_expiry = timezone.localdate() + datetime.timedelta(days=200)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.document_accept(
            actor=reviewer, document=document, expires_on=new_expiry
        )
    assert accepted.state == ReviewState.ACCEPTED
    assert accepted.reviewed_by == reviewer and accepted.reviewed_at is not None
    assert accepted.expires_on == new_expiry
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "accepté" in mail.outbox[0].body
    assert "Avis d'imposition" in mail.outbox[0].body
    with pytest.raises(services.DocumentAlreadyReviewed):
        services.document_refuse(actor=reviewer, document=document, reason="Trop tard")


def test_a_refusal_needs_a_reason_which_the_family_reads(
    family_a, reviewer, django_capture_on_commit_callbacks
):
    family, user = family_a
    document = make_document(family=family, actor=user)
    with pytest.raises(ValidationError):
        services.document_refuse(actor=reviewer, document=document, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.document_refuse(actor=reviewer, document=document, reason="Illisible")
    document.refresh_from_db()
    assert document.state == ReviewState.REFUSED and document.reason == "Illisible"
    assert "Motif : Illisible" in mail.outbox[0].body


def test_a_health_document_email_does_not_name_it(family_a, django_capture_on_commit_callbacks):
    family, user = family_a
    reviewer = make_staff_with_perms(
        "documents.view_document", "documents.review_document", "families.view_health_record"
    )
    document = make_document(
        family=family, actor=user, code="certificat_medical", child=family.children.get()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.document_accept(actor=reviewer, document=document)
    assert "médical" not in mail.outbox[0].body.lower()


def test_a_replaced_document_is_not_reviewed_any_more(family_a, reviewer):
    family, user = family_a
    old = make_document(family=family, actor=user)
    upload(family, user, MINIMAL_PDF, replaces=old)
    with pytest.raises(services.DocumentAlreadyReviewed):
        services.document_accept(actor=reviewer, document=old)


def test_reviewing_needs_the_permission_and_health_types_the_health_one(family_a):
    family, user = family_a
    viewer = make_staff_with_perms("documents.view_document")
    document = make_document(family=family, actor=user)
    with pytest.raises(PermissionDenied):
        services.document_accept(actor=viewer, document=document)
    reviewer = make_staff_with_perms("documents.view_document", "documents.review_document")
    health = make_document(
        family=family, actor=user, code="carnet_vaccination", child=family.children.get()
    )
    with pytest.raises(PermissionDenied):
        services.document_accept(actor=reviewer, document=health)
    assert not services.staff_may_read(reviewer, health)
    assert services.staff_may_read(reviewer, document)


def test_the_database_refuses_an_unexplained_refusal(family_a):
    document = make_document(family=family_a.family)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(
            state=ReviewState.REFUSED, reviewed_at=timezone.now(), reason=""
        )


def test_the_database_refuses_a_decision_without_its_date(family_a):
    document = make_document(family=family_a.family)
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(state=ReviewState.ACCEPTED)


# --- The family's list -----------------------------------------------------------------


def test_the_family_list_has_the_qf_proof_and_the_pai_documents_too(family_a):
    from espace_prive.families.models import Family, HealthRecord

    family, user = family_a
    child = family.children.get()
    Family.objects.filter(pk=family.pk).update(
        qf_proof="qf/a.pdf", quotient_familial=700, qf_valid_from=datetime.date(2026, 1, 1),
        qf_valid_to=datetime.date(2026, 12, 31),
    )  # fmt: skip
    HealthRecord.objects.create(child=child, has_pai=True, pai_document="pai/a.pdf")
    family.refresh_from_db()
    make_document(family=family, actor=user)
    entries = selectors.family_documents(family)
    assert [e.source for e in entries] == ["document", "qf", "pai"]
    assert entries[1].type_name == "Attestation CAF / MSA (quotient familial)"
    assert entries[1].expires_on == datetime.date(2026, 12, 31)
    assert entries[2].child == child
    assert not entries[1].can_delete and not entries[2].can_replace


def test_the_family_list_costs_the_same_for_1_or_30_documents(
    django_assert_num_queries, django_assert_max_num_queries
):
    family, user = make_family_with_login()
    make_document(family=family, actor=user)
    with django_assert_max_num_queries(3) as one:
        selectors.family_documents(family)
    for _ in range(29):
        make_document(
            family=family, actor=user, child=make_child(family=family), code="carnet_vaccination"
        )
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(selectors.family_documents(family)) == 30
