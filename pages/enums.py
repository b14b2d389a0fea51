"""Choices of the public site's models, in a module that imports no model.

Services, forms, serializers and the menus' import read them without loading the page
models. The 14 allergens live in ``espace_prive.allergens`` (a child's health record
and the kitchen's meal counts read them too) and are re-exported here.
"""

from django.db import models

from espace_prive.allergens import Allergen

__all__ = ["COURSE_ORDER", "AlertLevel", "Allergen", "Course", "DishLabel", "Weekday"]


class AlertLevel(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Important (grève, fermeture…)"


class Course(models.TextChoices):
    """The courses of a meal, in serving order."""

    STARTER = "starter", "Entrée"
    MAIN = "main", "Plat"
    SIDE = "side", "Accompagnement"
    DAIRY = "dairy", "Laitage"
    DESSERT = "dessert", "Dessert"
    SNACK = "snack", "Goûter"


COURSE_ORDER = {course: position for position, course in enumerate(Course.values)}


class DishLabel(models.TextChoices):
    ORGANIC = "organic", "Bio"
    LOCAL = "local", "Local"
    HOMEMADE = "homemade", "Fait maison"
    VEGETARIAN = "vegetarian", "Végétarien"


class Weekday(models.IntegerChoices):
    MONDAY = 1, "Lundi"
    TUESDAY = 2, "Mardi"
    WEDNESDAY = 3, "Mercredi"
    THURSDAY = 4, "Jeudi"
    FRIDAY = 5, "Vendredi"
    SATURDAY = 6, "Samedi"
    SUNDAY = 7, "Dimanche"
