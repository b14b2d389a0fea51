"""Writes of the document store: a family sends, replaces or withdraws a document; staff
accept or refuse it.

Files are checked by their content (``espace_prive.uploads.process_document``: PDF, or JPEG
and PNG re-encoded without metadata) before anything is stored; a decision locks the
row and checks it is still pending and current, then stamps who decided and when.
"""

from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from espace_prive.decisions import lock_pending
from espace_prive.uploads import process_document

from . import notices
from .models import Document, DocumentType, ReviewState
from .permissions import REVIEW_DOCUMENT, VIEW_DOCUMENT, VIEW_HEALTH


class DocumentAlreadyReviewed(Exception):
    """Another decision came first, or the family replaced or withdrew the document."""

    def __init__(self, document):
        self.document = document
        if document.state != ReviewState.PENDING:
            text = f"Ce document a déjà été vérifié ({document.get_state_display().lower()})."
        else:
            text = "Ce document a été remplacé par la famille entre-temps."
        super().__init__(text)


def _storage_name(document, content):
    suffix = PurePosixPath(content.name or "").suffix.lower() or ".bin"
    return f"documents/{document.family.public_id}/{document.public_id}{suffix}"


def _check_type_and_child(*, family, document_type, child):
    if document_type is None or not document_type.is_active:
        raise ValidationError({"document_type": "Choisissez un type de document de la liste."})
    if child is not None and child.family_id != family.pk:
        raise PermissionDenied("Cet enfant n'appartient pas à la famille.")
    if document_type.per_child and child is None:
        raise ValidationError(
            {"child": f"Indiquez l'enfant concerné par ce document ({document_type.name})."}
        )


def document_upload(
    *, actor, family, document_type, file, child=None, expires_on=None, replaces=None
):
    """Store a document the family sends (pending review); ``replaces`` one of its own.

    Raises ``ValidationError`` in French (type, child, file content or size, an expiry
    in the past, a document already replaced) with nothing stored.
    """
    if family.is_anonymised:
        raise ValidationError("Ce dossier famille est clos.")
    if replaces is not None:
        if replaces.family_id != family.pk:
            raise PermissionDenied("Ce document n'appartient pas à la famille.")
        document_type = document_type or replaces.document_type
        child = child if child is not None else replaces.child
    _check_type_and_child(family=family, document_type=document_type, child=child)
    today = timezone.localdate()
    if expires_on is not None and expires_on < today:
        raise ValidationError(
            {
                "expires_on": "Ce document est déjà expiré : envoyez un document en cours de "
                "validité."
            }
        )
    try:
        content = process_document(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = Document(
        family=family,
        child=child,
        document_type=document_type,
        original_name=(getattr(file, "name", "") or "")[:255],
        size=content.size,
        expires_on=expires_on or document_type.default_expiry(today),
        uploaded_by=actor,
    )
    stored = storages["private"].save(_storage_name(document, content), content)
    try:
        with transaction.atomic():
            if replaces is not None:
                locked = Document.objects.select_for_update().get(pk=replaces.pk)
                if Document.objects.filter(supersedes=locked).exists():
                    raise ValidationError(
                        "Ce document a déjà été remplacé : rechargez la page.", code="replaced"
                    )
                document.supersedes = locked
            document.file.name = stored
            document.save()
    except BaseException:
        storages["private"].delete(stored)
        raise
    return document


def document_delete(*, actor, family, document):
    """The family withdraws a document that was not accepted (an accepted one stays:
    it can only be replaced)."""
    if document.family_id != family.pk:
        raise PermissionDenied("Ce document n'appartient pas à la famille.")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.state == ReviewState.ACCEPTED:
            raise ValidationError(
                "Un document accepté par le service ne peut pas être supprimé : vous pouvez "
                "le remplacer par un document plus récent.",
                code="accepted",
            )
        if Document.objects.filter(supersedes=locked).exists():
            raise ValidationError("Ce document a été remplacé : il reste dans l'historique.")
        name = locked.file.name
        locked.delete()
        transaction.on_commit(lambda: storages["private"].delete(name))


# --- Staff review --------------------------------------------------------------------


def staff_may_read(user, document):
    """Staff reading a document: the view permission, and the health one for health types."""
    if not user.has_perm(VIEW_DOCUMENT):
        return False
    return not document.document_type.is_health or user.has_perm(VIEW_HEALTH)


def _require_reviewer(actor, document):
    if not actor.has_perm(REVIEW_DOCUMENT) or not staff_may_read(actor, document):
        raise PermissionDenied("Vous n'avez pas le droit de vérifier ce document.")


def _still_pending(locked):
    return locked.is_pending and not Document.objects.filter(supersedes=locked).exists()


def _lock_pending(document):
    """The document, locked; still pending and not replaced, or DocumentAlreadyReviewed."""
    return lock_pending(
        Document,
        document.pk,
        already_decided=DocumentAlreadyReviewed,
        still_pending=_still_pending,
        select_related=["document_type"],
    )


def document_accept(*, actor, document, expires_on=None):
    """Accept the document; staff may correct its expiry date."""
    _require_reviewer(actor, document)
    with transaction.atomic():
        locked = _lock_pending(document)
        locked.decide(ReviewState.ACCEPTED, actor=actor, reason="")
        if expires_on is not None:
            locked.expires_on = expires_on
        locked.save()
        notices.document_reviewed(locked)
    return locked


def document_refuse(*, actor, document, reason):
    """Refuse the document with a reason the family reads."""
    _require_reviewer(actor, document)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Indiquez le motif du refus : il est communiqué à la famille."}
        )
    with transaction.atomic():
        locked = _lock_pending(document)
        locked.decide(ReviewState.REFUSED, actor=actor, reason=reason)
        locked.save()
        notices.document_reviewed(locked)
    return locked


def document_type_for_code(code):
    """An active document type by its code, or a French ValidationError."""
    document_type = DocumentType.objects.filter(code=code, is_active=True).first()
    if document_type is None:
        raise ValidationError({"document_type": "Ce type de document n'existe pas."})
    return document_type


def documents_erase(*, actor, family):
    """RGPD: delete all the family's documents; their files go once the transaction commits."""
    names = list(Document.objects.filter(family=family).values_list("file", flat=True))
    Document.objects.filter(family=family).update(supersedes=None)
    Document.objects.filter(family=family).delete()

    def delete_files():
        for name in names:
            storages["private"].delete(name)

    transaction.on_commit(delete_files)
    return len(names)
