"""RGPD: everything the portal holds about a family, in one zip (JSON + its files), and
the anonymisation of a family that has left (its file and its logins, at once).

The private area's shell composes the domains (the family file, its requests) so that
neither domain imports the other's interface.
"""

import io
import json
import zipfile
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from espace_prive.accounts import services as account_services
from espace_prive.accounts.models import Registration, RegistrationChild
from espace_prive.accounts.security import request_origin
from espace_prive.demandes.models import ChangeRequest
from espace_prive.documents import services as document_services
from espace_prive.documents.models import Document
from espace_prive.families import sections
from espace_prive.families import services as family_services
from espace_prive.families.models import Child, Family, Guardian, HealthRecord, PickupPerson
from espace_prive.families.selectors import guardians_for_family
from espace_prive.messaging import services as messaging_services
from espace_prive.messaging.models import Thread
from espace_prive.messaging.selectors import messages_of_thread


def _row(instance, names):
    return {name: sections.current_json(instance, name) for name in names}


def _fields(model, skip=()):
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.name not in {"id", *skip} and not field.is_relation
    ]


class _Files:
    """Files added to the zip, each under a readable path."""

    def __init__(self):
        self.entries = []

    def add(self, storage_name, folder, stem):
        if not storage_name:
            return ""
        path = f"fichiers/{folder}/{stem}{PurePosixPath(storage_name).suffix}"
        self.entries.append((path, storage_name))
        return path


def family_export(family):
    """The family's data as a dict, and the private files to join (zip path, storage name)."""
    files = _Files()
    family_data = _row(family, _fields(Family, skip={"qf_proof"}))
    family_data["qf_proof"] = files.add(family.qf_proof.name, "foyer", "justificatif-qf")
    guardians = [
        {**_row(g, _fields(Guardian)), "login_email": g.user.email if g.user else ""}
        for g in guardians_for_family(family)
    ]
    children = []
    for child in (
        Child.objects.filter(family=family)
        .select_related("school")
        .prefetch_related("pickup_persons")
        .order_by("birth_date")
    ):
        data = _row(child, _fields(Child, skip={"photo"}))
        data["school"] = child.school.name if child.school else ""
        data["photo"] = files.add(child.photo.name, f"enfants/{child.public_id}", "photo")
        record = HealthRecord.objects.filter(child=child).first()
        if record:
            health = _row(record, _fields(HealthRecord, skip={"pai_document"}))
            health["pai_document"] = files.add(
                record.pai_document.name, f"enfants/{child.public_id}", "pai"
            )
        else:
            health = None
        data["health_record"] = health
        data["pickup_persons"] = [
            _row(person, _fields(PickupPerson)) for person in child.pickup_persons.all()
        ]
        children.append(data)
    requests = []
    for change_request in ChangeRequest.objects.filter(family=family).order_by("created_at"):
        changes = {}
        for name, change in change_request.changes.items():
            change = dict(change)
            if name in change_request.section_def.file_fields:
                for which in ("old", "new"):
                    if change.get(which):
                        change[which] = files.add(
                            change[which], f"demandes/{change_request.public_id}", f"{name}-{which}"
                        )
            changes[name] = change
        requests.append(
            {
                "public_id": str(change_request.public_id),
                "type": change_request.title,
                "section": change_request.section,
                "operation": change_request.operation,
                "state": change_request.get_state_display(),
                "created_at": change_request.created_at,
                "decided_at": change_request.decided_at,
                "reason": change_request.reason,
                "ended_sepa_mandate": (
                    {
                        "reference": change_request.ended_mandate_reference,
                        "signed_on": change_request.ended_mandate_signed_on,
                    }
                    if change_request.ended_mandate_reference
                    else None
                ),
                "changes": changes,
            }
        )
    documents = [
        {
            "public_id": str(document.public_id),
            "type": document.document_type.name,
            "child": document.child.full_name if document.child else "",
            "state": document.get_state_display(),
            "reason": document.reason,
            "uploaded_at": document.uploaded_at,
            "expires_on": document.expires_on,
            "replaces": str(document.supersedes.public_id) if document.supersedes else "",
            "file": files.add(document.file.name, "documents", str(document.public_id)),
        }
        for document in Document.objects.filter(family=family)
        .select_related("document_type", "child", "supersedes")
        .order_by("uploaded_at")
    ]
    threads = []
    for thread in Thread.objects.filter(family=family).order_by("created_at"):
        threads.append(
            {
                "public_id": str(thread.public_id),
                "subject": thread.subject,
                "topic": thread.get_topic_display(),
                "state": thread.get_state_display(),
                "messages": [
                    {
                        "from": "Le service" if message.is_from_service else message.author_name,
                        "created_at": message.created_at,
                        "body": message.body,
                        "attachments": [
                            files.add(
                                attachment.file.name,
                                f"messages/{thread.public_id}",
                                str(attachment.public_id),
                            )
                            for attachment in message.attachments.all()
                        ],
                    }
                    for message in messages_of_thread(thread)
                ],
            }
        )
    data = {
        "generated_at": timezone.now(),
        "family": family_data,
        "guardians": guardians,
        "children": children,
        "requests": requests,
        "documents": documents,
        "messages": threads,
        "pre_inscriptions": _pre_inscriptions(family),
    }
    return data, files.entries


def _pre_inscriptions(family):
    """The pré-inscription the family came from, and any its logins filed."""
    users = get_user_model().objects.filter(guardian__family=family)
    registrations = (
        Registration.objects.filter(Q(family=family) | Q(user__in=users))
        .prefetch_related("children")
        .order_by("submitted_at")
    )
    skip = {"public_id"}
    return [
        {
            "public_id": str(registration.public_id),
            **_row(registration, _fields(Registration, skip=skip)),
            "status": registration.get_status_display(),
            "children": [
                _row(child, _fields(RegistrationChild)) for child in registration.children.all()
            ],
        }
        for registration in registrations
    ]


def family_export_zip(*, actor, family):
    """One zip: ``donnees.json`` and the family's files under ``fichiers/``."""
    data, entries = family_export(family)
    buffer = io.BytesIO()
    storage = storages["private"]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for path, name in entries:
            if storage.exists(name):
                with storage.open(name, "rb") as handle:
                    archive.writestr(path, handle.read())
        archive.writestr(
            "LISEZ-MOI.txt",
            "Données de votre dossier famille, exportées le "
            f"{timezone.localtime():%d/%m/%Y à %H:%M}.\n"
            "donnees.json : foyer, responsables, enfants (avec données sanitaires et "
            "personnes autorisées), demandes, documents, messages et pré-inscription ; "
            "fichiers/ : photos, documents et pièces jointes.\n",
        )
    return buffer.getvalue()


@transaction.atomic
def family_anonymise(*, actor, family, request=None):
    """Irreversibly anonymise a family that has left, in one transaction: its file and
    private files (``families``), its documents and messages, then its logins, their
    sessions, second factors, API tokens, invitations and pré-inscription (``accounts``).
    Files are deleted on commit."""
    users = list(get_user_model().objects.filter(guardian__family=family))
    family = family_services.family_file_anonymise(actor=actor, family=family)
    document_services.documents_erase(actor=actor, family=family)
    messaging_services.threads_erase(actor=actor, family=family)
    account_services.family_access_erase(
        actor=actor, family=family, users=users, **request_origin(request)
    )
    return family
