"""Deadlines as data: until when a day may be booked or cancelled, and each service's
booking rules (which deadline applies, when enrolments open)."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from espace_prive.constraints import FieldConstraintsMixin

from .calendar import WEEKDAY_NAMES


class DeadlineKind(models.TextChoices):
    DAYS_BEFORE = "jours_avant", "Un nombre de jours avant le jour réservé"
    WEEKDAY_BEFORE_WEEK = "jour_semaine_precedente", "Un jour de la semaine précédente"
    BEFORE_PERIOD = "avant_periode", "Un nombre de jours avant le début de la période"


class DeadlineRule(FieldConstraintsMixin, models.Model):
    """Until when a day may be booked (or cancelled), as data; ``bookings.rules``
    computes the moment and ``describe()`` says it in French:

    - ``DAYS_BEFORE``: D-``days`` at ``at_time`` (counting working days only when
      ``working_days``: no weekend, public holiday or commune-wide closure);
    - ``WEEKDAY_BEFORE_WEEK``: the ``weekday`` of the week ``weeks_before`` weeks
      earlier at ``at_time`` (« le jeudi midi pour la semaine suivante »);
    - ``BEFORE_PERIOD``: ``days`` days before the first day of the period holding the
      day, at ``at_time`` (« 10 jours avant le début des vacances »).
    """

    Kind = DeadlineKind

    name = models.CharField("nom", max_length=100, unique=True)
    kind = models.CharField("type de délai", max_length=30, choices=DeadlineKind.choices)
    days = models.PositiveSmallIntegerField(
        "nombre de jours", default=0, validators=[MaxValueValidator(120)]
    )
    weekday = models.PositiveSmallIntegerField(
        "jour de la semaine",
        null=True,
        blank=True,
        choices=[(i, name) for i, name in enumerate(WEEKDAY_NAMES)],
    )
    weeks_before = models.PositiveSmallIntegerField(
        "semaines avant", default=1, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    at_time = models.TimeField("heure limite", default=datetime.time(10, 0))
    working_days = models.BooleanField("jours ouvrés seulement", default=False)

    constraint_fields = {
        "bookings_deadline_weekday_set": "weekday",
        "bookings_deadline_weeks_before_range": "weeks_before",
        "bookings_deadline_days_range": "days",
    }

    class Meta:
        verbose_name = "délai de réservation"
        verbose_name_plural = "délais de réservation"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DeadlineKind.values),
                name="bookings_deadline_kind_valid",
                violation_error_message="Choisissez un type de délai de la liste.",
            ),
            models.CheckConstraint(
                condition=~Q(kind=DeadlineKind.WEEKDAY_BEFORE_WEEK)
                | Q(weekday__isnull=False, weekday__lte=6),
                name="bookings_deadline_weekday_set",
                violation_error_message="Indiquez le jour de la semaine du délai.",
            ),
            models.CheckConstraint(
                condition=Q(weeks_before__gte=1, weeks_before__lte=8),
                name="bookings_deadline_weeks_before_range",
                violation_error_message="Le nombre de semaines doit être compris entre 1 et 8.",
            ),
            models.CheckConstraint(
                condition=Q(days__lte=120),
                name="bookings_deadline_days_range",
                violation_error_message="Un délai ne dépasse pas 120 jours.",
            ),
        ]

    def __str__(self):
        return self.name

    def describe(self):
        from ..rules import describe_deadline

        return describe_deadline(self)


class ServiceRules(FieldConstraintsMixin, models.Model):
    """How families enrol in and book one service: the deadlines (cancelling follows
    the booking rule unless a rule of its own is set) and when enrolments open."""

    service = models.OneToOneField(
        "catalogue.Service",
        on_delete=models.CASCADE,
        related_name="booking_rules",
        verbose_name="service",
    )
    booking_deadline = models.ForeignKey(
        DeadlineRule,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="délai pour réserver",
    )
    cancel_deadline = models.ForeignKey(
        DeadlineRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="délai pour annuler",
        help_text="Laisser vide : le même délai que pour réserver.",
    )
    enrolments_open_on = models.DateField(
        "inscriptions ouvertes à partir du",
        null=True,
        blank=True,
        help_text="Laisser vide : les inscriptions sont toujours ouvertes.",
    )

    class Meta:
        verbose_name = "règles de réservation"
        verbose_name_plural = "règles de réservation des services"
        ordering = ["service__sort_order", "service__name"]

    def __str__(self):
        return f"Règles de réservation — {self.service}"

    @property
    def effective_cancel_deadline(self):
        return self.cancel_deadline or self.booking_deadline
