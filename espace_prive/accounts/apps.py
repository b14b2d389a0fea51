from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "espace_prive.accounts"
    label = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from . import signals  # noqa: F401
