from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "espace_prive.accounts"
    label = "accounts"
    verbose_name = "Comptes"
