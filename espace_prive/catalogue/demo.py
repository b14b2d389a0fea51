from .models import Site

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
]


def seed(demo):
    """Two schools and a leisure centre of the demo town."""
    sites = {}
    for fields in DEMO_SITES:
        site, _ = Site.objects.update_or_create(
            name=fields["name"],
            defaults={**fields, "postcode": "45000", "city": "Belval"},
        )
        sites[site.name] = site
    demo.objects["sites"] = sites
