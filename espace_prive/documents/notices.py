"""What the family is told about its documents (e-mail after commit).

One function per event, so that the shared notification service (issue 10.6) takes
over here without touching the services.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from espace_prive.accounts.emails import absolute_url, town_name
from espace_prive.messaging.models import NotificationTopic
from espace_prive.messaging.preferences import wanted_addresses


def _guardian_addresses(family):
    addresses = []
    for guardian in family.guardians.select_related("user"):
        email = (guardian.user.email if guardian.user_id else "") or guardian.email
        if email and email.lower() not in {a.lower() for a in addresses}:
            addresses.append(email)
    return addresses


def document_reviewed(document):
    """Tell the family a document was accepted or refused (rendered now, sent on commit)."""
    addresses = wanted_addresses(_guardian_addresses(document.family), NotificationTopic.DOCUMENTS)
    if not addresses:
        return
    context = {
        "document": document,
        "label": "un document" if document.document_type.is_health else document.document_type.name,
        "town_name": town_name(),
        "url": absolute_url("espace_prive:documents:list"),
    }
    subject = render_to_string("documents/emails/document_reviewed_subject.txt", context).strip()
    body = render_to_string("documents/emails/document_reviewed.txt", context)
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=addresses
    )
    transaction.on_commit(message.send)
