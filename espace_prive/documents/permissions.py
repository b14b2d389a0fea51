"""Permissions of the document store, each named once (``review_document`` is declared
in ``Document.Meta.permissions``)."""

from espace_prive.families.permissions import VIEW_HEALTH_RECORD

VIEW_DOCUMENT = "documents.view_document"
REVIEW_DOCUMENT = "documents.review_document"
# Documents of a health type (carnet de vaccination, certificat médical) are health data.
VIEW_HEALTH = VIEW_HEALTH_RECORD

# Granted to groups in Wagtail's group editor (with the reference data's own).
GRANTABLE = (
    VIEW_DOCUMENT,
    REVIEW_DOCUMENT,
    *(
        f"documents.{action}_{model}"
        for model in ("documenttype", "requireddocument")
        for action in ("add", "change", "view")
    ),
)
