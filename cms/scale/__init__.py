"""A plausible town at scale, for benchmarks: ``python manage.py seed_town --families N``.

The demo town (``seed_demo``) gives the reference data: services, tariff grids, the
commune and its school year, the periods and activity units, deadlines, staff. Then
each generator of ``GENERATORS`` (one module per domain, in dependency order) adds
its rows with ``bulk_create``, reading what earlier generators left in ``town.objects``.
A new domain adds a module with ``generate(town)`` and its dotted path below.

Deterministic: every generator draws from its own ``random.Random`` seeded by the
command's ``--seed``, the generator's name and the family (adding a generator changes
nothing in the others, and family *i* is the same in a town of 1 or of 10,000 families:
a small town is the beginning of a larger one, which the query-count tests use), public
ids come from those generators too, and dates are computed from the current school
year's first day (the same town within a school year).
"""

import datetime
import random
import time
import uuid
import zoneinfo
from dataclasses import dataclass, field

GENERATORS = [
    "cms.scale.catalogue.generate",
    "cms.scale.families.generate",
    "cms.scale.accounts.generate",
    "cms.scale.demandes.generate",
    "cms.scale.documents.generate",
    "cms.scale.messaging.generate",
    "cms.scale.bookings.generate",
    "cms.scale.billing.generate",
]

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
REFERENCE_PREFIX = "VIL-"
# The town's family 1 always has a login, requests, documents and a thread: the
# benchmark and the query-count tests load its pages, which must not be empty.
REFERENCE_FAMILY = f"{REFERENCE_PREFIX}000001"
EMAIL_DOMAIN = "ville.bench.portail-famille.fr"
# Every guardian login of the town has this password (hashed once, see accounts.py).
BENCH_PASSWORD = "Bench-Famille-2026"
BATCH = 5000


@dataclass
class Town:
    families: int
    seed: int
    # The town just before the rentrée: families, logins and the rest, but no enrolment
    # nor booking of the year yet (what ``make bench-rush`` starts from).
    before_rentree: bool = False
    objects: dict = field(default_factory=dict)
    timings: list = field(default_factory=list)
    log: object = print

    def rng(self, name, key=""):
        """The random generator of a generator (and of one family, given its key)."""
        return random.Random(f"{self.seed}:{name}:{key}")  # noqa: S311 (data, not secrets)

    @staticmethod
    def uuid(rng):
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    def at(self, day, hour=9, minute=0):
        """An aware datetime in Europe/Paris."""
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)

    @property
    def year(self):
        return self.objects["school_year"]

    @property
    def start(self):
        """The reference day: the first day of the current school year."""
        return self.year.starts_on

    def recent(self, rng, *, days=60):
        """A moment within ``days`` before the reference day's fortnight after the start
        (never after today), for rows that happened "lately"."""
        anchor = min(self.start + datetime.timedelta(days=14), datetime.date.today())
        day = anchor - datetime.timedelta(days=rng.randrange(days))
        return self.at(day, rng.randrange(8, 19), rng.randrange(60))


def bulk(model, rows, *, batch_size=BATCH):
    """``bulk_create`` in batches; returns the rows (with their pks on PostgreSQL)."""
    created = []
    for index in range(0, len(rows), batch_size):
        created += model.objects.bulk_create(rows[index : index + batch_size])
    return created


class timed:
    def __init__(self, town, name):
        self.town, self.name = town, name

    def __enter__(self):
        self.started = time.perf_counter()

    def __exit__(self, *exc):
        seconds = time.perf_counter() - self.started
        self.town.timings.append((self.name, seconds))
        self.town.log(f"  {self.name}: {seconds:.1f} s")


def build(town):
    """Run every generator on ``town`` (the demo data must be there: ``seed_demo``)."""
    from django.utils.module_loading import import_string

    for path in GENERATORS:
        import_string(path)(town)
    return town
