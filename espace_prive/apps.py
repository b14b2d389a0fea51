from django.apps import AppConfig


class EspacePriveConfig(AppConfig):
    """The private area's shell: its home page and URL map (domains are sub-apps)."""

    name = "espace_prive"
    verbose_name = "Espace famille"
