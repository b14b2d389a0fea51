from django.core.management.base import BaseCommand

from espace_prive.billing.services.card import checkouts_reconcile


class Command(BaseCommand):
    help = (
        "Demande à Stripe l'état des paiements par carte encore ouverts et enregistre "
        "ceux payés dont le webhook n'est jamais arrivé. À lancer chaque heure."
    )

    def handle(self, *args, **options):
        counts = checkouts_reconcile()
        summary = ", ".join(f"{outcome} : {n}" for outcome, n in sorted(counts.items()))
        self.stdout.write(summary or "Aucun paiement par carte en attente.")
