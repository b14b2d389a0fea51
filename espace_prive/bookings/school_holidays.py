"""French school holidays (zones A, B, C) from the ministry's open data.

The project ships ``data/calendrier_scolaire.json``, in the format of the official
export of « Le calendrier scolaire » (data.education.gouv.fr, dataset
``fr-en-calendrier-scolaire``); ``manage.py import_school_holidays`` loads that file, a
newer export given as a path (JSON or CSV), or — only with ``--download`` — the export
fetched from the ministry.

Dates: the dataset gives the start of holidays as the moment classes stop and the end
as the morning classes resume. A start at midnight (local time) is the first day
without class; a start given as a plain date, or in the day, is "after class that day",
so the next day is the first day off. The last day off is the eve of the resumption.
"""

import csv
import datetime
import io
import json
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DATASET_PATH = Path(__file__).resolve().parent / "data" / "calendrier_scolaire.json"
OFFICIAL_EXPORT_URL = (
    "https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets/"
    "fr-en-calendrier-scolaire/exports/json"
)
ZONES = {"zone a": "A", "zone b": "B", "zone c": "C"}
# Rows for teachers only (pre-rentrée) are not holidays of the children.
TEACHERS_ONLY = {"enseignants"}


class DatasetError(ValueError):
    """The file is not an export of the school calendar."""


@dataclass(frozen=True)
class Holiday:
    zone: str
    name: str
    school_year: str
    first_day_off: datetime.date
    last_day_off: datetime.date


def _moment(value):
    """(local date, is midnight) of a dataset value: an ISO date or date-time."""
    value = (value or "").strip()
    if not value:
        raise DatasetError("date manquante")
    if len(value) == 10:
        return datetime.date.fromisoformat(value), False
    moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    local = moment.astimezone(PARIS)
    return local.date(), local.time() == datetime.time.min


def first_day_off(start):
    day, at_midnight = _moment(start)
    return day if at_midnight else day + datetime.timedelta(days=1)


def last_day_off(end):
    day, _at_midnight = _moment(end)
    return day - datetime.timedelta(days=1)


def _field(record, *names):
    lowered = {str(key).strip().lower(): value for key, value in record.items()}
    for name in names:
        if name in lowered and lowered[name] not in (None, ""):
            return str(lowered[name])
    return ""


def parse_records(records):
    """Holidays of zones A, B and C from the dataset's records (dicts), one per zone,
    school year and name (académies of a zone share their dates)."""
    found = {}
    for record in records:
        zone = ZONES.get(_field(record, "zones", "zone").strip().lower())
        population = _field(record, "population").strip().lower()
        if zone is None or population in TEACHERS_ONLY:
            continue
        name = _field(record, "description").strip()
        year = _field(record, "annee_scolaire").strip()
        start = _field(record, "start_date", "date de début", "date_de_debut")
        end = _field(record, "end_date", "date de fin", "date_de_fin")
        if not (name and year and start and end):
            raise DatasetError(f"enregistrement incomplet : {record!r}")
        try:
            holiday = Holiday(zone, name, year, first_day_off(start), last_day_off(end))
        except ValueError as error:
            raise DatasetError(f"date illisible dans {record!r}") from error
        if holiday.last_day_off < holiday.first_day_off:
            continue  # a one-day "pont" that falls on no school day
        found.setdefault((zone, year, name), holiday)
    return sorted(found.values(), key=lambda h: (h.first_day_off, h.zone))


def parse_bytes(data):
    """Records of a JSON export (a list, or ``{"results": [...]}``) or a CSV export
    (``;`` or ``,`` separated)."""
    text = data.decode("utf-8-sig")
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            raise DatasetError("JSON illisible") from error
        if isinstance(loaded, dict):
            loaded = loaded.get("results", [])
        if not isinstance(loaded, list):
            raise DatasetError("le JSON n'est pas une liste d'enregistrements")
        records = [r.get("fields", r) for r in loaded if isinstance(r, dict)]
    else:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,")
        records = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    holidays = parse_records(records)
    if not holidays:
        raise DatasetError("aucunes vacances des zones A, B ou C dans ce fichier")
    return holidays


def parse_file(path):
    return parse_bytes(Path(path).read_bytes())


def download(url=OFFICIAL_EXPORT_URL, *, timeout=30):
    """The official export, fetched from the network (only when asked)."""
    from urllib.request import urlopen

    with urlopen(url, timeout=timeout) as response:  # noqa: S310 - fixed https URL
        return response.read()


def school_holidays_import(*, holidays, model=None):
    """Create or update the ``SchoolHoliday`` rows of ``holidays``; returns
    ``(created, updated)``. Rows absent from the file are kept (older years)."""
    if model is None:
        from .models import SchoolHoliday as model
    created = updated = 0
    with transaction.atomic():
        for holiday in holidays:
            _row, was_created = model.objects.update_or_create(
                zone=holiday.zone,
                school_year=holiday.school_year,
                name=holiday.name,
                defaults={
                    "first_day_off": holiday.first_day_off,
                    "last_day_off": holiday.last_day_off,
                },
            )
            created += was_created
            updated += not was_created
    return created, updated
