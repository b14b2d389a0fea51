from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "espace_prive.families"
    label = "families"
    verbose_name = "Familles"
