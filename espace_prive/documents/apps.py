from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """The families' supporting documents (pièces justificatives), reviewed by staff."""

    name = "espace_prive.documents"
    label = "documents"
    verbose_name = "Documents des familles"
