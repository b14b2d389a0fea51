"""Supporting documents: two or three a family (an insurance certificate a child among
them), pending, accepted or refused. The rows share one tiny PDF of the private storage
(written once): the pages and downloads work, without 25,000 files on disk."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from espace_prive.accounts.demo import STAFF_EMAIL
from espace_prive.documents.models import Document, DocumentType, ReviewState
from espace_prive.families.demo import demo_pdf

from . import bulk, timed

FILE_NAME = "ville-bench/justificatif.pdf"
FAMILY_TYPES = ["avis_imposition", "justificatif_domicile"]


def _file():
    storage = storages["private"]
    if not storage.exists(FILE_NAME):
        storage.save(FILE_NAME, ContentFile(demo_pdf("Justificatif", ["Ville (benchmark)."])))
    return FILE_NAME, storage.size(FILE_NAME)


def generate(town):
    staff = get_user_model().objects.get(email=STAFF_EMAIL)
    users = town.objects["user_by_family"]
    types = {t.code: t for t in DocumentType.objects.all()}
    per_child = [t for t in types.values() if t.per_child and not t.is_health]
    family_types = [types[code] for code in FAMILY_TYPES if code in types] or [
        t for t in types.values() if not t.per_child
    ][:2]
    first_child = {}
    for child in town.objects["children"]:
        first_child.setdefault(child.family_id, child)
    with timed(town, "documents: rows sharing one small file"):
        name, size = _file()
        rows = []
        for family in town.objects["families"]:
            rng = town.rng("documents", family.reference)
            wanted = [(t, None) for t in family_types if rng.random() < 0.8]
            if per_child and family.pk in first_child and rng.random() < 0.7:
                wanted.append((per_child[0], first_child[family.pk]))
            for document_type, child in wanted:
                uploaded = town.recent(rng, days=90)
                draw = rng.random()
                state = (
                    ReviewState.ACCEPTED
                    if draw < 0.6
                    else ReviewState.PENDING
                    if draw < 0.9
                    else ReviewState.REFUSED
                )
                decided = state != ReviewState.PENDING
                rows.append(
                    Document(
                        public_id=town.uuid(rng),
                        family=family,
                        child=child,
                        document_type=document_type,
                        file=name,
                        original_name=f"{document_type.code}.pdf",
                        size=size,
                        expires_on=datetime.date(town.start.year + 1, 8, 31)
                        if document_type.expiry_rule != "aucune"
                        else None,
                        state=state,
                        reason="Document illisible : merci d'en envoyer une copie nette."
                        if state == ReviewState.REFUSED
                        else "",
                        uploaded_by=users.get(family.pk),
                        uploaded_at=uploaded,
                        reviewed_by=staff if decided else None,
                        reviewed_at=uploaded + datetime.timedelta(days=2) if decided else None,
                    )
                )
        bulk(Document, rows)
