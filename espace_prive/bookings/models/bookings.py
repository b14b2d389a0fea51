"""Bookings: one row per child, unit and day, and the history of what happened to it.

The unique constraint on (child, unit, day) makes a double submission one booking; a
cancelled day booked again reuses its row (the history keeps every step). Capacity is
checked under the lock of the day's ``UnitDay`` row (``bookings.services``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from espace_prive.constraints import FieldConstraintsMixin


class BookingState(models.TextChoices):
    BOOKED = "reservee", "Réservée"
    WAITING = "liste_attente", "Sur liste d'attente"
    CANCELLED = "annulee", "Annulée"


class Booking(FieldConstraintsMixin, models.Model):
    State = BookingState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        "families.Child", on_delete=models.CASCADE, related_name="bookings", verbose_name="enfant"
    )
    enrolment = models.ForeignKey(
        "bookings.Enrolment",
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name="inscription",
    )
    unit = models.ForeignKey(
        "bookings.ActivityUnit",
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name="unité",
    )
    site = models.ForeignKey(
        "catalogue.Site", on_delete=models.PROTECT, related_name="+", verbose_name="site"
    )
    day = models.DateField("jour")
    state = models.CharField("état", max_length=20, choices=BookingState.choices)
    # Arrival order: when the row last became booked or waiting (the waiting list's order).
    queued_at = models.DateTimeField("demandée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="faite par",
    )
    created_by_staff = models.BooleanField("faite par le service", default=False)
    promoted_at = models.DateTimeField("place obtenue (liste d'attente) le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="annulée par",
    )
    cancelled_by_staff = models.BooleanField("annulée par le service", default=False)
    cancelled_late = models.BooleanField(
        "annulée après le délai",
        default=False,
        help_text="Annulation faite par le service après le délai d'annulation.",
    )

    constraint_fields = {"bookings_booking_one_per_day": "day"}

    class Meta:
        verbose_name = "réservation"
        verbose_name_plural = "réservations"
        ordering = ["day", "unit__sort_order", "id"]
        permissions = [
            (
                "book_for_family",
                "Peut réserver et annuler pour une famille, y compris après le délai",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "site", "day", "state"], name="bookings_unit_day_idx"),
            models.Index(fields=["child", "day"], name="bookings_child_day_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "unit", "day"],
                name="bookings_booking_one_per_day",
                violation_error_message="Cet enfant a déjà une réservation pour ce jour.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=BookingState.values),
                name="bookings_booking_state_valid",
                violation_error_message="État de réservation inconnu.",
            ),
            models.CheckConstraint(
                condition=(Q(state=BookingState.CANCELLED) & Q(cancelled_at__isnull=False))
                | (~Q(state=BookingState.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="bookings_booking_cancel_consistent",
                violation_error_message="Une réservation annulée indique quand elle l'a été.",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_late=False) | Q(cancelled_by_staff=True),
                name="bookings_booking_late_cancel_by_staff",
                violation_error_message="Seul le service peut annuler après le délai.",
            ),
        ]

    def __str__(self):
        return f"{self.child} — {self.unit.name} le {self.day:%d/%m/%Y}"

    @property
    def is_active(self):
        return self.state in (BookingState.BOOKED, BookingState.WAITING)


class BookingAction(models.TextChoices):
    BOOKED = "reservation", "Réservation"
    WAITING = "liste_attente", "Mise en liste d'attente"
    PROMOTED = "place_obtenue", "Place obtenue (liste d'attente)"
    CANCELLED = "annulation", "Annulation"
    ABSENCE = "absence", "Absence déclarée"
    ABSENCE_WITHDRAWN = "absence_retiree", "Absence retirée"


class BookingEvent(models.Model):
    """Who did what to a booking, and when (the child's bookings history)."""

    Action = BookingAction

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="events", verbose_name="réservation"
    )
    action = models.CharField("action", max_length=20, choices=BookingAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="par",
    )
    by_staff = models.BooleanField("par le service", default=False)
    past_deadline = models.BooleanField("après le délai", default=False)
    at = models.DateTimeField("le", default=timezone.now)
    note = models.CharField("précision", max_length=255, blank=True)

    class Meta:
        verbose_name = "historique de réservation"
        verbose_name_plural = "historique des réservations"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=BookingAction.values),
                name="bookings_event_action_valid",
                violation_error_message="Action inconnue dans l'historique des réservations.",
            ),
            models.CheckConstraint(
                condition=Q(past_deadline=False) | Q(by_staff=True),
                name="bookings_event_past_deadline_by_staff",
                violation_error_message="Seul le service agit après le délai.",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} — {self.booking}"
