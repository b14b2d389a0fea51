from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from cms.demo import SEEDERS, Demo


class Command(BaseCommand):
    help = "Crée ou met à jour les données de démonstration (idempotent)."

    def handle(self, *args, **options):
        demo = Demo()
        with transaction.atomic():
            for path in SEEDERS:
                import_string(path)(demo)
                if options["verbosity"] > 1:
                    self.stdout.write(f"  {path}: ok")
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write("Comptes de démonstration :")
        for login in demo.logins:
            self.stdout.write(f"  {login.role:<32} {login.email:<40} {login.password}")
        for note in demo.notes:
            self.stdout.write(note)
