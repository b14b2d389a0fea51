from django.apps import AppConfig


class KitchenConfig(AppConfig):
    """Meal counts for the kitchens, the occupancy dashboard, menus matched to a child."""

    name = "espace_prive.kitchen"
    label = "kitchen"
    verbose_name = "Restauration et fréquentation"
