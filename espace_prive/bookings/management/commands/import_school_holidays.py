from django.core.management.base import BaseCommand, CommandError

from espace_prive.bookings import school_holidays


class Command(BaseCommand):
    help = (
        "Charge les vacances scolaires des zones A, B et C : le fichier livré avec le "
        "projet, un export officiel « Le calendrier scolaire » (JSON ou CSV) donné par son "
        "chemin, ou, avec --download seulement, l'export téléchargé sur "
        "data.education.gouv.fr. Avec --write-dataset, le fichier lu remplace aussi celui "
        "livré avec le projet."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Export JSON ou CSV du calendrier scolaire.")
        parser.add_argument(
            "--download", action="store_true", help="Télécharger l'export officiel (réseau)."
        )
        parser.add_argument("--url", default=school_holidays.OFFICIAL_EXPORT_URL)
        parser.add_argument(
            "--write-dataset",
            action="store_true",
            help="Remplacer aussi le fichier livré (data/calendrier_scolaire.json).",
        )

    def handle(self, *args, path=None, download=False, url=None, write_dataset=False, **options):
        if path and download:
            raise CommandError("Donnez un fichier ou --download, pas les deux.")
        try:
            if download:
                data = school_holidays.download(url)
            else:
                with open(path or school_holidays.DATASET_PATH, "rb") as handle:
                    data = handle.read()
            holidays = school_holidays.parse_bytes(data)
        except OSError as error:
            raise CommandError(f"Lecture impossible : {error}") from error
        except school_holidays.DatasetError as error:
            raise CommandError(f"Fichier non reconnu : {error}") from error
        created, updated = school_holidays.school_holidays_import(holidays=holidays)
        if write_dataset and (path or download):
            school_holidays.DATASET_PATH.write_bytes(data)
        years = sorted({h.school_year for h in holidays})
        self.stdout.write(
            f"Vacances scolaires : {created} ajoutées, {updated} mises à jour ({', '.join(years)})."
        )
