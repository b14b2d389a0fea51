from django.apps import AppConfig


class DemandesConfig(AppConfig):
    """Family requests (changes to the family file) that staff accept or refuse."""

    name = "espace_prive.demandes"
    label = "demandes"
    verbose_name = "Demandes des familles"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
