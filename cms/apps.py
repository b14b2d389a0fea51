from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Portail Famille"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401 - registers the system checks
        from .permissions import name_default_permissions_in_french

        post_migrate.connect(name_default_permissions_in_french)
