"""The kitchens: who cooks for which canteens and where their daily count is sent.

A kitchen (a central kitchen, or a school's own) serves sites; each site is served by
one kitchen at most (database constraint). ``MealCountDispatch`` records that the
definitive count of a day was sent to a kitchen, once (the cron may run often).
"""

import uuid

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from espace_prive.constraints import FieldConstraintsMixin


class Kitchen(FieldConstraintsMixin, ClusterableModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=150, unique=True)
    email = models.EmailField(
        "e-mail de la cuisine",
        help_text="Reçoit chaque jour, à l'heure limite de réservation, l'effectif définitif "
        "des repas par régime.",
    )
    is_active = models.BooleanField("en service", default=True)

    constraint_fields = {"kitchen_kitchen_email_required": "email"}

    class Meta:
        verbose_name = "cuisine"
        verbose_name_plural = "cuisines"
        ordering = ["name"]
        permissions = [
            ("view_meal_counts", "Peut consulter les effectifs de repas des cuisines"),
            ("view_occupancy", "Peut consulter le tableau de fréquentation des services"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email=""),
                name="kitchen_kitchen_email_required",
                violation_error_message="Indiquez l'adresse e-mail de la cuisine.",
            ),
        ]

    def __str__(self):
        return self.name


class KitchenSite(FieldConstraintsMixin, models.Model):
    """A site (school, canteen, leisure centre) whose meals a kitchen cooks."""

    kitchen = ParentalKey(Kitchen, on_delete=models.CASCADE, related_name="served_sites")
    site = models.ForeignKey(
        "catalogue.Site", on_delete=models.CASCADE, related_name="+", verbose_name="site servi"
    )

    constraint_fields = {"kitchen_site_one_kitchen": "site"}

    class Meta:
        verbose_name = "site servi"
        verbose_name_plural = "sites servis"
        ordering = ["site__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                name="kitchen_site_one_kitchen",
                violation_error_message="Ce site est déjà servi par une cuisine.",
            ),
        ]

    def __str__(self):
        return f"{self.site} ({self.kitchen})"


class MealCountDispatch(models.Model):
    """The definitive count of ``day`` was e-mailed to ``kitchen`` at ``sent_at``."""

    kitchen = models.ForeignKey(
        Kitchen, on_delete=models.CASCADE, related_name="dispatches", verbose_name="cuisine"
    )
    day = models.DateField("jour des repas")
    sent_at = models.DateTimeField("envoyé le")
    sent_to = models.EmailField("envoyé à")
    meals = models.PositiveIntegerField("repas")

    class Meta:
        verbose_name = "envoi d'effectif à une cuisine"
        verbose_name_plural = "envois d'effectifs aux cuisines"
        ordering = ["-day", "kitchen__name"]
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["kitchen", "day"],
                name="kitchen_dispatch_once_per_day",
                violation_error_message="L'effectif de ce jour a déjà été envoyé à cette cuisine.",
            ),
        ]

    def __str__(self):
        return f"{self.kitchen} — {self.day:%d/%m/%Y}"
