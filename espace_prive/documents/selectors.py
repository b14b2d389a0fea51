"""Reads of the document store. Every family lookup is scoped to the family.

The documents a family attached through its requests before the store existed — the
quotient familial proof (``Family.qf_proof``) and each child's PAI
(``HealthRecord.pai_document``) — stay where the family file keeps them (the requests'
diff, the RGPD export and the staff file read them there); ``family_documents`` lists
them with the store's documents, as entries of the same shape.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from espace_prive.catalogue.selectors import school_year_bounds
from espace_prive.families.models import Child, HealthRecord

from .models import Document, DocumentType, RequiredDocument, ReviewState

QF_TYPE_CODE = "attestation_caf"
RELATED = ("document_type", "child", "family")


def _current(queryset):
    """Documents nothing supersedes (a replaced document stays as history)."""
    return queryset.filter(~Exists(Document.objects.filter(supersedes=OuterRef("pk"))))


def document_types(*, active_only=True):
    queryset = DocumentType.objects.all()
    return queryset.filter(is_active=True) if active_only else queryset


def get_document_for_family(family, public_id):
    """The family's own document, or 404 — never another family's."""
    try:
        return (
            Document.objects.filter(family=family).select_related(*RELATED).get(public_id=public_id)
        )
    except (Document.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Document introuvable.") from error


def get_document(public_id):
    """Staff lookup by public id (404 when unknown); the caller checks the permission."""
    try:
        return Document.objects.select_related(*RELATED, "reviewed_by", "uploaded_by").get(
            public_id=public_id
        )
    except (Document.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Document introuvable.") from error


def documents_for_family(family):
    """The family's current documents, newest first (type and child joined)."""
    return (
        _current(Document.objects.filter(family=family))
        .select_related(*RELATED)
        .order_by("-uploaded_at", "-id")
    )


def document_history(document):
    """The documents ``document`` replaced, newest first."""
    history = []
    previous = document.supersedes
    while previous is not None and len(history) < 50:
        history.append(previous)
        previous = previous.supersedes
    return history


@dataclass(frozen=True)
class FamilyDocument:
    """One line of the family's documents: a document of the store, or a file attached
    through a request (``source`` "qf" or "pai", accepted when staff applied it)."""

    source: str
    type_name: str
    state: str
    state_label: str
    expires_on: datetime.date | None
    uploaded_at: datetime.datetime | None
    child: Child | None = None
    document: Document | None = None
    reason: str = ""

    def is_expired_on(self, day):
        return self.expires_on is not None and self.expires_on < day

    def is_expiring_on(self, day):
        return self.expires_on is not None and day <= self.expires_on <= day + datetime.timedelta(
            settings.DOCUMENTS_EXPIRING_DAYS
        )

    @property
    def can_delete(self):
        return self.document is not None and self.document.state != ReviewState.ACCEPTED

    @property
    def can_replace(self):
        return self.document is not None


def _entry(document):
    return FamilyDocument(
        source="document",
        type_name=document.document_type.name,
        state=document.state,
        state_label=document.get_state_display(),
        expires_on=document.expires_on,
        uploaded_at=document.uploaded_at,
        child=document.child,
        document=document,
        reason=document.reason,
    )


def family_documents(family):
    """The store's current documents, then the QF proof and the PAI documents (3 queries)."""
    accepted = ReviewState.ACCEPTED.label
    entries = [_entry(document) for document in documents_for_family(family)]
    if family.qf_proof:
        qf_name = DocumentType.objects.filter(code=QF_TYPE_CODE).values_list("name", flat=True)
        entries.append(
            FamilyDocument(
                source="qf",
                type_name=qf_name.first() or "Attestation CAF / quotient familial",
                state=ReviewState.ACCEPTED,
                state_label=accepted,
                expires_on=family.qf_valid_to,
                uploaded_at=None,
            )
        )
    records = HealthRecord.objects.filter(child__family=family).exclude(pai_document="")
    for record in records.select_related("child").order_by("child__birth_date"):
        entries.append(
            FamilyDocument(
                source="pai",
                type_name="Projet d'accueil individualisé (PAI)",
                state=ReviewState.ACCEPTED,
                state_label=accepted,
                expires_on=None,
                uploaded_at=None,
                child=record.child,
            )
        )
    return entries


# --- Staff ---------------------------------------------------------------------------


def review_queue(*, state=ReviewState.PENDING, document_type=None, expiring=False, on=None,
                 include_health=False):  # fmt: skip
    """Current documents for the staff's queue: a state (None: all), a type, or those
    expiring within ``DOCUMENTS_EXPIRING_DAYS`` (or already expired); health types only
    for staff who may read them."""
    queryset = _current(Document.objects.all()).select_related(*RELATED, "reviewed_by")
    if state:
        queryset = queryset.filter(state=state)
    if document_type is not None:
        queryset = queryset.filter(document_type=document_type)
    if expiring:
        day = on or timezone.localdate()
        limit = day + datetime.timedelta(days=settings.DOCUMENTS_EXPIRING_DAYS)
        queryset = queryset.filter(expires_on__lte=limit).order_by("expires_on", "id")
    else:
        queryset = queryset.order_by("uploaded_at", "id")
    if not include_health:
        queryset = queryset.filter(document_type__is_health=False)
    return queryset


def documents_of_family_for_staff(family, *, include_health=False):
    queryset = Document.objects.filter(family=family).select_related(
        *RELATED, "reviewed_by", "superseded_by"
    )
    if not include_health:
        queryset = queryset.filter(document_type__is_health=False)
    return queryset.order_by("-uploaded_at", "-id")


# --- What a service requires ------------------------------------------------------------


class RequirementStatus:
    ACCEPTED = "accepte"
    PRESENT = "present"  # sent, not yet checked by staff
    EXPIRED = "expire"
    MISSING = "manquant"

    LABELS = {
        ACCEPTED: "Accepté",
        PRESENT: "Envoyé, en attente de vérification",
        EXPIRED: "Expiré",
        MISSING: "À fournir",
    }


@dataclass(frozen=True)
class Requirement:
    document_type: DocumentType
    status: str
    child: Child | None = None
    document: Document | None = None
    notes: str = ""

    @property
    def status_label(self):
        return RequirementStatus.LABELS[self.status]

    @property
    def is_satisfied(self):
        return self.status == RequirementStatus.ACCEPTED


def required_documents(service, *, on=None):
    start, _end = school_year_bounds(on or timezone.localdate())
    return RequiredDocument.objects.filter(service=service, school_year_start=start).select_related(
        "document_type"
    )


def _status(candidates, day):
    """Best status among a type's documents: accepted and valid > pending > expired."""
    valid = [d for d in candidates if not d.is_expired_on(day)]
    for document in valid:
        if document.state == ReviewState.ACCEPTED:
            return RequirementStatus.ACCEPTED, document
    for document in valid:
        if document.state == ReviewState.PENDING:
            return RequirementStatus.PRESENT, document
    expired = [d for d in candidates if d.is_expired_on(day) and d.state != ReviewState.REFUSED]
    if expired:
        return RequirementStatus.EXPIRED, expired[0]
    refused = [d for d in candidates if d.state == ReviewState.REFUSED]
    return RequirementStatus.MISSING, (refused[0] if refused else None)


def _requirements_status(family, requirements, *, day, children, documents):
    result = []
    for requirement in requirements:
        document_type = requirement.document_type
        of_type = [d for d in documents if d.document_type_id == document_type.pk]
        if document_type.per_child:
            for kid in children:
                status, document = _status([d for d in of_type if d.child_id == kid.pk], day)
                result.append(Requirement(document_type, status, kid, document, requirement.notes))
            continue
        status, document = _status(of_type, day)
        if (
            status != RequirementStatus.ACCEPTED
            and document_type.code == QF_TYPE_CODE
            and family.qf_proof
            and family.qf_is_valid_on(day)
        ):
            status, document = RequirementStatus.ACCEPTED, None
        result.append(Requirement(document_type, status, None, document, requirement.notes))
    return result


def _documents_of_types(family, type_ids):
    return list(
        documents_for_family(family).filter(document_type_id__in=type_ids).order_by("-uploaded_at")
    )


def required_documents_status(family, service, *, on=None, child=None):
    """For ``service`` in the school year holding ``on``: each required document type
    and whether the family has it accepted, sent (pending), expired or missing.

    Types about a child are checked per child: ``child`` alone, or each child of the
    family. A valid quotient familial on the family file counts as an accepted CAF
    attestation. Three queries whatever the number of documents.
    """
    day = on or timezone.localdate()
    requirements = list(required_documents(service, on=day))
    if not requirements:
        return []
    documents = _documents_of_types(family, [r.document_type_id for r in requirements])
    children = []
    if any(r.document_type.per_child for r in requirements):
        children = [child] if child is not None else list(Child.objects.filter(family=family))
    return _requirements_status(
        family, requirements, day=day, children=children, documents=documents
    )


def documents_to_provide(family, wanted, *, on=None):
    """Pièces à fournir: ``wanted`` lists ``(service, school_year_start, child)`` — the
    services the family's children are enrolled in or asking for. For each (service,
    school year) requiring documents, those not accepted yet (missing, refused, expired,
    sent and awaiting review): ``[(service, school_year_start, [Requirement…])]``.

    Types about a child are checked for the children of that service only; expiry is
    read on the later of ``on`` and the school year's first day. Two queries, whatever
    the number of children, enrolments or documents.
    """
    today = on or timezone.localdate()
    children_of = {}
    for service, year_start, child in wanted:
        kids = children_of.setdefault((service, year_start), [])
        if child not in kids:
            kids.append(child)
    if not children_of:
        return []
    pairs = Q()
    for service, year_start in children_of:
        pairs |= Q(service=service, school_year_start=year_start)
    requirements = list(
        RequiredDocument.objects.filter(pairs)
        .select_related("document_type")
        .order_by("school_year_start", "document_type__sort_order", "document_type__name")
    )
    if not requirements:
        return []
    documents = _documents_of_types(family, {r.document_type_id for r in requirements})
    result = []
    for (service, year_start), children in children_of.items():
        of_service = [
            r
            for r in requirements
            if r.service_id == service.pk and r.school_year_start == year_start
        ]
        missing = [
            r
            for r in _requirements_status(
                family,
                of_service,
                day=max(today, year_start),
                children=sorted(children, key=lambda child: child.birth_date),
                documents=documents,
            )
            if not r.is_satisfied
        ]
        if missing:
            result.append((service, year_start, missing))
    return result
