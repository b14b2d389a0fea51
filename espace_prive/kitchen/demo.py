"""Demo data of the kitchen: Belval's central kitchen, its e-mail and the sites it
cooks for (the demo's meals are booked by ``bookings.demo``; Léa Martin's peanut
allergy and PAI are in ``families.demo``, the peanut dishes in ``pages.demo.menus``).

Idempotent: the kitchen by name, each site served once.
"""

from cms.demo import DEMO_EMAIL_DOMAIN

from .models import Kitchen, KitchenSite

KITCHEN_NAME = "Cuisine centrale de Belval"
SERVED = (
    "École maternelle Les Tilleuls",
    "École élémentaire Jules-Ferry",
    "Accueil de loisirs Le Moulin",
)


def seed(demo):
    kitchen, _ = Kitchen.objects.update_or_create(
        name=KITCHEN_NAME,
        defaults={"email": f"cuisine-centrale@{DEMO_EMAIL_DOMAIN}", "is_active": True},
    )
    sites = demo.objects.get("sites", {})
    for name in SERVED:
        site = sites.get(name)
        if site is not None:
            KitchenSite.objects.update_or_create(site=site, defaults={"kitchen": kitchen})
    demo.objects["kitchen"] = kitchen
    demo.add_note(
        f"Cuisine : l'effectif des repas part chaque jour à {kitchen.email} "
        "(manage.py send_meal_counts, par cron)."
    )
    return kitchen
