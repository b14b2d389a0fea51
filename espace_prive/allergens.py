"""The 14 allergens of EU regulation 1169/2011 (annex II), in one leaf module.

The public site's menus declare them per dish (``pages.enums`` re-exports the enum), a
child's health record lists those the child is allergic to, and the kitchen counts
meals per allergen: all three read the same codes. Imports no model.
"""

from django.db import models


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


ALLERGEN_ORDER = {code: position for position, code in enumerate(Allergen.values)}


def ordered(codes):
    """Known allergen codes of ``codes``, once each, in the regulation's order."""
    return sorted({code for code in codes or () if code in ALLERGEN_ORDER}, key=ALLERGEN_ORDER.get)


def labels(codes):
    """``["peanuts", "milk"]`` → ``["Lait", "Arachides"]`` (the regulation's order)."""
    return [Allergen(code).label for code in ordered(codes)]
