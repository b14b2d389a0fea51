"""Choices of the public site's models, in a module that imports no model.

Services, forms, serializers and the menus' import read them without loading the page
models.
"""

from django.db import models


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


class Allergen(models.TextChoices):
    """The 14 allergens every menu must declare (EU regulation 1169/2011, annex II)."""

    GLUTEN = "gluten", "Gluten"
    CRUSTACEANS = "crustaceans", "Crustacés"
    EGGS = "eggs", "Œufs"
    FISH = "fish", "Poisson"
    PEANUTS = "peanuts", "Arachides"
    SOY = "soy", "Soja"
    MILK = "milk", "Lait"
    NUTS = "nuts", "Fruits à coque"
    CELERY = "celery", "Céleri"
    MUSTARD = "mustard", "Moutarde"
    SESAME = "sesame", "Sésame"
    SULPHITES = "sulphites", "Sulfites"
    LUPIN = "lupin", "Lupin"
    MOLLUSCS = "molluscs", "Mollusques"


class Weekday(models.IntegerChoices):
    MONDAY = 1, "Lundi"
    TUESDAY = 2, "Mardi"
    WEDNESDAY = 3, "Mercredi"
    THURSDAY = 4, "Jeudi"
    FRIDAY = 5, "Vendredi"
    SATURDAY = 6, "Samedi"
    SUNDAY = 7, "Dimanche"
