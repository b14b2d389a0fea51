from django.core.management.base import BaseCommand

from espace_prive.accounts.services import security_data_purge


class Command(BaseCommand):
    help = (
        "Supprime les données de sécurité périmées : compteurs d'échecs terminés, jetons "
        "d'API expirés ou révoqués depuis 30 jours, sessions fermées, événements du journal "
        "plus anciens que AUDIT_RETENTION_DAYS. À lancer chaque nuit."
    )

    def handle(self, *args, **options):
        counts = security_data_purge()
        self.stdout.write(", ".join(f"{name} : {count}" for name, count in counts.items()))
