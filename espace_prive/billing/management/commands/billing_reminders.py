import datetime

from django.core.management.base import BaseCommand, CommandError

from espace_prive.billing.models import NoticeKind
from espace_prive.billing.services.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Envoie les rappels avant l'échéance et les relances après l'échéance des factures "
        "impayées, selon le réglage de chaque régie (chaque facture les reçoit une fois). "
        "À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Le jour à traiter (AAAA-MM-JJ), aujourd'hui sinon.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Mettre l'envoi en file d'attente (tâche send_reminders) au lieu de l'exécuter.",
        )

    def handle(self, *args, date=None, enqueue=False, **options):
        if enqueue:
            from espace_prive.billing.tasks import send_reminders

            send_reminders.enqueue()
            self.stdout.write("Envoi des rappels mis en file d'attente.")
            return
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError("Indiquez la date au format AAAA-MM-JJ.") from error
        counts = reminders_send(today=today)
        self.stdout.write(
            f"Rappels : {counts[NoticeKind.REMINDER]}, relances : {counts[NoticeKind.DUNNING]}."
        )
