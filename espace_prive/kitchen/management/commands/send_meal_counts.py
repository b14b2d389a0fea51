from django.core.management.base import BaseCommand

from espace_prive.kitchen.tasks import send_meal_counts


class Command(BaseCommand):
    help = (
        "Met en file l'envoi aux cuisines des effectifs de repas devenus définitifs (délais "
        "de réservation et d'annulation passés). Sans effet pour un jour déjà envoyé : à "
        "lancer par cron, par exemple toutes les 15 minutes."
    )

    def handle(self, *args, **options):
        result = send_meal_counts.enqueue()
        self.stdout.write(f"Envoi des effectifs mis en file ({result.id}).")
