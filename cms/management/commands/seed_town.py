import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cms.scale import BENCH_PASSWORD, REFERENCE_PREFIX, Town, build
from espace_prive.bookings.models import SchoolYear
from espace_prive.catalogue.selectors import school_year_bounds
from espace_prive.families.models import Family


def town_exists():
    return Family.objects.filter(reference__startswith=REFERENCE_PREFIX).exists()


class Command(BaseCommand):
    help = (
        "Crée une ville de N familles pour les mesures de charge (données de démonstration "
        "d'abord, puis écoles, familles, comptes, demandes, documents, messages, "
        "inscriptions, réservations d'une année, factures et paiements ; déterministe)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--before-rentree",
            action="store_true",
            help="Sans inscriptions ni réservations de l'année (point de départ de bench-rush).",
        )

    def handle(self, *args, families, seed, before_rentree, verbosity, **options):
        if families < 1:
            raise CommandError("Indiquez au moins une famille (--families).")
        started = time.perf_counter()
        call_command("seed_demo", verbosity=0)
        if town_exists():
            raise CommandError(
                "Cette base contient déjà une ville générée : utilisez une base neuve."
            )
        first, _last = school_year_bounds(timezone.localdate())
        town = Town(
            families=families,
            seed=seed,
            before_rentree=before_rentree,
            log=(lambda text: self.stdout.write(text)) if verbosity else (lambda text: None),
        )
        town.objects["school_year"] = SchoolYear.objects.get(
            commune__name="Belval", starts_on=first
        )
        self.stdout.write(f"Ville de {families} familles (graine {seed}) :")
        with transaction.atomic():
            build(town)
        self.stdout.write(
            self.style.SUCCESS(
                f"Ville prête en {time.perf_counter() - started:.0f} s. Mot de passe de "
                f"tous les responsables : {BENCH_PASSWORD}"
            )
        )
