from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """The boîte de réception: threads between families and the service."""

    name = "espace_prive.messaging"
    label = "messaging"
    verbose_name = "Messagerie"
