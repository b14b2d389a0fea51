"""The deployment's clock: runs each periodic command at its interval, in one process.

docker-compose's ``scheduler`` service runs ``manage.py run_scheduled``; a town without
Docker may instead call each command from cron at the same intervals. A command that
fails is logged and retried at its next slot: one failure never stops the others.
"""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

logger = logging.getLogger(__name__)

# (management command, interval in minutes). Apps add their periodic jobs here.
SCHEDULE = [
    # Wagtail publishes what editors scheduled (news, menus) only when this runs.
    ("publish_scheduled", 1),
    # Card checkouts whose webhook never arrived are asked of Stripe.
    ("billing_reconcile", 60),
    # Each kitchen gets its meal counts by e-mail once its booking deadline has passed.
    ("send_meal_counts", 15),
    # Expired security data (sign-in attempts, old journal rows) purged once a day.
    ("purge_security_data", 24 * 60),
]


def due(minute, interval):
    return minute % interval == 0


class Command(BaseCommand):
    help = "Lance les tâches périodiques (publication programmée, rapprochement des paiements…)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Une seule minute (toutes les tâches dues à 0)."
        )

    def handle(self, *args, once=False, **options):
        minute = 0
        while True:
            started = time.monotonic()
            self.run_minute(minute)
            if once:
                return
            minute += 1
            time.sleep(max(0.0, 60 - (time.monotonic() - started)))

    def run_minute(self, minute):
        for name, interval in SCHEDULE:
            if not due(minute, interval):
                continue
            close_old_connections()
            try:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
            except Exception:
                logger.exception("periodic command %s failed", name)
