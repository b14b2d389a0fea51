"""Demo documents: the pièces à fournir of two services, and the Martins' documents in
every state (accepted, pending, refused, one expired)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from espace_prive.catalogue.selectors import school_year_bounds
from espace_prive.families.demo import demo_pdf

from .models import Document, DocumentType, RequiredDocument, ReviewState
from .services import document_accept, document_refuse, document_upload

REQUIRED = {
    "accueil-de-loisirs": ["attestation_caf", "attestation_assurance", "carnet_vaccination"],
    "periscolaire": ["attestation_caf", "attestation_assurance"],
}


def _document(*, family, code, actor, child=None, title):
    """The family's document of that type (and child), sent once."""
    document_type = DocumentType.objects.get(code=code)
    existing = Document.objects.filter(family=family, document_type=document_type, child=child)
    if existing.exists():
        return existing.first(), False
    content = ContentFile(demo_pdf(title, ["Document de démonstration."]), name=f"{code}.pdf")
    return (
        document_upload(
            actor=actor, family=family, document_type=document_type, child=child, file=content
        ),
        True,
    )


def seed(demo):
    today = timezone.localdate()
    start, _end = school_year_bounds(today)
    services = demo.objects["services"]
    for slug, codes in REQUIRED.items():
        for code in codes:
            RequiredDocument.objects.get_or_create(
                service=services[slug],
                document_type=DocumentType.objects.get(code=code),
                school_year_start=start,
            )

    martin = demo.objects["families"]["martin"]
    children = demo.objects["children"]
    family_user = demo.objects["family_user"]
    staff = demo.objects["staff_user"]

    tax, new = _document(
        family=martin, code="avis_imposition", actor=family_user, title="Avis d'imposition"
    )
    if new:
        document_accept(actor=staff, document=tax)
    _document(
        family=martin,
        code="attestation_assurance",
        actor=family_user,
        child=children["lea"],
        title="Attestation d'assurance scolaire - Lea",
    )
    address, new = _document(
        family=martin, code="justificatif_domicile", actor=family_user, title="Facture EDF"
    )
    if new:
        document_refuse(
            actor=staff,
            document=address,
            reason="La facture date de plus de 3 mois : envoyez une facture plus récente.",
        )
    insurance, new = _document(
        family=martin,
        code="attestation_assurance",
        actor=family_user,
        child=children["hugo"],
        title="Attestation d'assurance - Hugo",
    )
    if new:
        # Last year's certificate: accepted then, expired since the end of August.
        Document.objects.filter(pk=insurance.pk).update(
            state=ReviewState.ACCEPTED,
            reviewed_by=staff,
            reviewed_at=timezone.now() - datetime.timedelta(days=400),
            uploaded_at=timezone.now() - datetime.timedelta(days=401),
            expires_on=start - datetime.timedelta(days=1),
        )
