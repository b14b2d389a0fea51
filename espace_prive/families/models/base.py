"""Shared pieces of the families models: the private storage, small choices."""

from django.core.files.storage import storages
from django.db import models


def private_storage():
    """Families' files live in the private storage: no URL, served by checking views."""
    return storages["private"]


class YesNo(models.TextChoices):
    """Labels of a yes/no question whose answer may still be missing (null)."""

    YES = "oui", "Oui"
    NO = "non", "Non"


class AllowanceBody(models.TextChoices):
    CAF = "caf", "CAF"
    MSA = "msa", "MSA"
    OTHER = "autre", "Autre régime"
    NONE = "", "Aucun / non renseigné"


class GuardianRole(models.TextChoices):
    """``Guardian.Role``: here so that the family can tell its responsable 1."""

    PRIMARY = "responsable", "Responsable 1"
    PARTNER = "conjoint", "Conjoint / responsable 2"
