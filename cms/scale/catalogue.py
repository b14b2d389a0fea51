"""Schools (one maternelle and one élémentaire per sector of about 600 families) and
leisure centres (one per 2,000 families), offered by the services the demo defines."""

import math

from espace_prive.bookings.models import ActivityUnit
from espace_prive.catalogue.models import Service, Site

from . import bulk, timed

SCHOOL_NAMES = [
    "Jean-Jaurès", "Victor-Hugo", "Louise-Michel", "Jacques-Prévert", "Marie-Curie",
    "Pasteur", "Les Lilas", "Condorcet", "Paul-Bert", "Jean-Moulin", "Simone-Veil",
    "Anne-Frank", "Saint-Exupéry", "Les Érables", "Le Parc", "La Fontaine", "Jules-Verne",
    "George-Sand", "Les Peupliers", "Colette", "Albert-Camus", "Les Cerisiers",
]  # fmt: skip
STREETS = ["rue", "avenue", "allée", "place", "chemin", "boulevard"]
SCHOOL_SERVICES = ("restauration-scolaire", "periscolaire")
LEISURE_SERVICES = ("accueil-de-loisirs",)


def _name(index):
    base = SCHOOL_NAMES[index % len(SCHOOL_NAMES)]
    round_number = index // len(SCHOOL_NAMES)
    return base if round_number == 0 else f"{base} {round_number + 1}"


def generate(town):
    rng = town.rng("catalogue")
    with timed(town, "catalogue: schools and leisure centres"):
        sectors = max(1, math.ceil(town.families / 600))
        sites = []
        for index in range(sectors):
            name = _name(index)
            street = f"{rng.randrange(1, 80)} {rng.choice(STREETS)} {name}"
            for kind, label in (
                (Site.Kind.NURSERY_SCHOOL, "École maternelle"),
                (Site.Kind.ELEMENTARY_SCHOOL, "École élémentaire"),
            ):
                sites.append(
                    Site(
                        public_id=town.uuid(rng),
                        name=f"{label} {name} (Ville)",
                        kind=kind,
                        address=street,
                        postcode="45000",
                        city="Belval",
                        opening_hours="Lundi, mardi, jeudi, vendredi : 8 h 30 – 16 h 30",
                    )
                )
        for index in range(max(1, math.ceil(town.families / 2000))):
            sites.append(
                Site(
                    public_id=town.uuid(rng),
                    name=f"Accueil de loisirs {_name(index + 7)} (Ville)",
                    kind=Site.Kind.LEISURE_CENTRE,
                    address=f"{rng.randrange(1, 80)} rue des Loisirs",
                    postcode="45000",
                    city="Belval",
                    opening_hours="Mercredis et vacances scolaires : 7 h 30 – 18 h 30",
                )
            )
        sites = bulk(Site, sites)
        schools = [s for s in sites if s.kind != Site.Kind.LEISURE_CENTRE]
        centres = [s for s in sites if s.kind == Site.Kind.LEISURE_CENTRE]
        for slugs, offered in ((SCHOOL_SERVICES, schools), (LEISURE_SERVICES, centres)):
            for service in Service.objects.filter(slug__in=slugs):
                service.sites.add(*offered)
                for unit in ActivityUnit.objects.filter(service=service):
                    unit.sites.add(*offered)
        town.objects["sectors"] = [
            (schools[2 * index], schools[2 * index + 1]) for index in range(sectors)
        ]
        town.objects["leisure_centres"] = centres
