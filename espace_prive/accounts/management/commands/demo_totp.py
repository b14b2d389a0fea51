import time

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from espace_prive.accounts.demo import AGENT_EMAIL, EDITOR_EMAIL, STAFF_EMAIL, demo_totp_device


class Command(BaseCommand):
    help = (
        "Affiche le code TOTP du moment pour les comptes personnel, rédaction et agent de "
        "la démonstration (clé publique de la démo ; aucun autre compte)."
    )

    def handle(self, *args, **options):
        device = demo_totp_device()
        if device is None:
            raise CommandError(
                f"Pas de compte de démonstration {STAFF_EMAIL} : lancez d'abord seed_demo."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = time.time()
        totp.time = now
        remaining = device.step - int(now - device.t0) % device.step
        code = f"{totp.token():0{device.digits}d}"
        self.stdout.write(
            f"{code}   (valable encore {remaining} s, comptes {STAFF_EMAIL}, {EDITOR_EMAIL} "
            f"et {AGENT_EMAIL})"
        )
