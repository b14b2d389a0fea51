from decimal import Decimal

from django.utils import timezone

from .models import Service, Site, TariffBand, TariffGrid
from .selectors import school_year_bounds

DEMO_SITES = [
    {
        "name": "École maternelle Les Tilleuls",
        "kind": Site.Kind.NURSERY_SCHOOL,
        "address": "4 rue des Tilleuls",
        "phone": "01 23 45 67 10",
        "opening_hours": "Lundi, mardi, jeudi, vendredi : 8 h 30 – 16 h 30",
        "contact_person": "Mme Leroy, directrice",
    },
    {
        "name": "École élémentaire Jules-Ferry",
        "kind": Site.Kind.ELEMENTARY_SCHOOL,
        "address": "12 avenue Jules-Ferry",
        "phone": "01 23 45 67 20",
        "opening_hours": "Lundi, mardi, jeudi, vendredi : 8 h 30 – 16 h 30",
        "contact_person": "M. Garnier, directeur",
    },
    {
        "name": "Accueil de loisirs Le Moulin",
        "kind": Site.Kind.LEISURE_CENTRE,
        "address": "1 chemin du Moulin",
        "phone": "01 23 45 67 30",
        "opening_hours": "Mercredis et vacances scolaires : 7 h 30 – 18 h 30",
        "contact_person": "Mme Benali, directrice de l'accueil",
    },
    {
        "name": "Gymnase Pierre-de-Coubertin",
        "kind": Site.Kind.SPORTS,
        "address": "8 allée des Sports",
        "phone": "01 23 45 67 40",
        "opening_hours": "Mercredi : 9 h – 12 h et 13 h 30 – 17 h",
        "contact_person": "M. Moreau, éducateur sportif",
    },
    {
        "name": "Espace jeunes La Passerelle",
        "kind": Site.Kind.YOUTH_CENTRE,
        "address": "3 place du Marché",
        "phone": "01 23 45 67 50",
        "opening_hours": "Mardi au vendredi : 16 h – 19 h ; mercredi et samedi : 14 h – 19 h",
        "contact_person": "M. Da Silva, animateur",
    },
    {
        "name": "Service Enfance-Jeunesse-Éducation",
        "kind": Site.Kind.OFFICE,
        "address": "Mairie, 1 place de la République",
        "phone": "01 23 45 67 00",
        "email": "enfance@belval.example",
        "opening_hours": "Lundi au vendredi : 8 h 30 – 12 h et 13 h 30 – 17 h",
        "contact_person": "Mme Petit, responsable du service",
    },
]

SCHOOLS = ["École maternelle Les Tilleuls", "École élémentaire Jules-Ferry"]

# (slug, name, kind, unit, summary, sites, non-resident price, no-QF price, band prices)
DEMO_SERVICES = [
    (
        "periscolaire",
        "Accueil périscolaire matin et soir",
        Service.Kind.AFTER_SCHOOL,
        Service.Unit.SESSION,
        "Avant et après la classe, dans chaque école, de 7 h 30 à 8 h 20 et de 16 h 30 à 18 h 30.",
        SCHOOLS,
        "4.20",
        None,
        ["0.80", "1.20", "1.70", "2.20", "2.70"],
    ),
    (
        "restauration-scolaire",
        "Restauration scolaire",
        Service.Kind.CANTEEN,
        Service.Unit.MEAL,
        "Le déjeuner des écoliers, préparé par la cuisine centrale, avec des produits bio "
        "et locaux.",
        SCHOOLS,
        "6.50",
        "5.10",
        ["1.00", "2.10", "3.20", "4.10", "4.90"],
    ),
    (
        "accueil-de-loisirs",
        "Accueil de loisirs mercredis et vacances",
        Service.Kind.LEISURE_CENTRE,
        Service.Unit.DAY,
        "Journées d'activités pour les 3–11 ans, repas et goûter compris.",
        ["Accueil de loisirs Le Moulin"],
        "32.00",
        None,
        ["6.00", "9.50", "13.00", "17.50", "22.00"],
    ),
    (
        "ecole-des-sports",
        "École municipale des sports",
        Service.Kind.SPORTS_SCHOOL,
        Service.Unit.YEAR,
        "Le mercredi, découverte de plusieurs sports au fil de l'année, de 6 à 11 ans.",
        ["Gymnase Pierre-de-Coubertin"],
        "120.00",
        None,
        ["25.00", "40.00", "55.00", "70.00", "85.00"],
    ),
    (
        "espace-jeunes",
        "Espace jeunes",
        Service.Kind.YOUTH,
        Service.Unit.YEAR,
        "Un lieu d'accueil et de projets pour les 11–17 ans, adhésion annuelle.",
        ["Espace jeunes La Passerelle"],
        "30.00",
        None,
        ["5.00", "8.00", "10.00", "12.00", "15.00"],
    ),
    (
        "tickets-sports",
        "Tickets sports vacances",
        Service.Kind.SPORTS_TICKETS,
        Service.Unit.WEEK,
        "Une semaine de stages sportifs pendant les vacances, de 8 à 14 ans.",
        ["Gymnase Pierre-de-Coubertin"],
        "60.00",
        None,
        ["10.00", "16.00", "22.00", "30.00", "38.00"],
    ),
]

QF_BANDS = [(0, 500), (500, 800), (800, 1100), (1100, 1500), (1500, None)]


def seed(demo):
    """Sites and schools, the six services of the demo town and this school year's tariffs."""
    sites = {}
    for fields in DEMO_SITES:
        site, _ = Site.objects.update_or_create(
            name=fields["name"],
            defaults={"email": "", **fields, "postcode": "45000", "city": "Belval"},
        )
        sites[site.name] = site
    demo.objects["sites"] = sites

    # Tariffs must be valid today: the grid covers the current school year.
    valid_from, valid_until = school_year_bounds(timezone.localdate())
    label = f"Année scolaire {valid_from.year}-{valid_until.year}"
    services = {}
    for position, row in enumerate(DEMO_SERVICES):
        slug, name, kind, unit, summary, site_names, non_resident, no_qf, prices = row
        service, _ = Service.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "unit": unit,
                "summary": summary,
                "is_active": True,
                "sort_order": position,
            },
        )
        service.sites.set([sites[site_name] for site_name in site_names])
        services[slug] = service
        grid = TariffGrid.objects.filter(service=service, valid_from=valid_from).first()
        if grid is None:
            grid = TariffGrid(service=service, valid_from=valid_from)
        grid.label = label
        grid.valid_until = valid_until
        grid.non_resident_price = Decimal(non_resident)
        grid.no_qf_price = Decimal(no_qf) if no_qf else None
        grid.save()
        for (qf_min, qf_max), price in zip(QF_BANDS, prices, strict=True):
            TariffBand.objects.update_or_create(
                grid=grid, qf_min=qf_min, defaults={"qf_max": qf_max, "price": Decimal(price)}
            )
        grid.bands.exclude(qf_min__in=[qf_min for qf_min, _ in QF_BANDS]).delete()
    demo.objects["services"] = services
