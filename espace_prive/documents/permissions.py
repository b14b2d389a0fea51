"""Permissions of the document store, each named once."""

VIEW_DOCUMENT = "documents.view_document"
REVIEW_DOCUMENT = "documents.review_document"
# Documents of a health type (carnet de vaccination, certificat médical) are health data.
VIEW_HEALTH = "families.view_health_record"
