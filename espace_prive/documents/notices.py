"""What the family is told about its documents (``espace_prive.notifications``)."""

from espace_prive.messaging.models import NotificationTopic
from espace_prive.notifications import absolute_url, family_addresses, notify


def document_reviewed(document):
    """Tell the family a document was accepted or refused (rendered now, sent on commit)."""
    notify(
        to=family_addresses(document.family),
        kind=NotificationTopic.DOCUMENTS,
        template="documents/emails/document_reviewed",
        context={
            "document": document,
            "label": (
                "un document" if document.document_type.is_health else document.document_type.name
            ),
            "url": absolute_url("espace_prive:documents:list"),
        },
    )
