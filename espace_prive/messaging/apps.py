from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """The boîte de réception: threads between families and the service."""

    name = "espace_prive.messaging"
    label = "messaging"
    verbose_name = "Messagerie"

    def ready(self):
        from espace_prive.notifications import register_recipient_filter

        from .preferences import wanted_addresses

        register_recipient_filter(wanted_addresses)
