"""The attendance register (pointage) of a site, an activity unit and a day, one mark
per child, the register's audit trail, and which sites each agent works at.

A mark is what happened to one child: present (arrived at), absent, or gone (left at,
with who picked them up: a person of the family's list, someone else with a reason —
flagged —, or alone when the family allows it). A child added on the spot without a
booking is « présence sans réservation ». The database holds the rules a row alone can
break; the rules across rows (expected or enrolled, register closed) are in
``services``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from espace_prive.constraints import FieldConstraintsMixin


class SiteAssignment(FieldConstraintsMixin, models.Model):
    """An agent works at a site: they see its lists and take its attendance only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="site_assignments",
        verbose_name="agent",
    )
    site = models.ForeignKey(
        "catalogue.Site",
        on_delete=models.CASCADE,
        related_name="staff_assignments",
        verbose_name="site",
    )

    constraint_fields = {"attendance_assignment_once": "site"}

    class Meta:
        verbose_name = "affectation d'un agent à un site"
        verbose_name_plural = "affectations des agents aux sites"
        ordering = ["site__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "site"],
                name="attendance_assignment_once",
                violation_error_message="Cet agent est déjà affecté à ce site.",
            ),
        ]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} — {self.site}"


class RegisterState(models.TextChoices):
    OPEN = "ouvert", "Ouvert"
    CLOSED = "clos", "Clos"


class Register(FieldConstraintsMixin, models.Model):
    """The attendance of one unit at one site on one day."""

    State = RegisterState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey(
        "catalogue.Site", on_delete=models.PROTECT, related_name="registers", verbose_name="site"
    )
    unit = models.ForeignKey(
        "bookings.ActivityUnit",
        on_delete=models.PROTECT,
        related_name="registers",
        verbose_name="unité",
    )
    day = models.DateField("jour")
    state = models.CharField(
        "état", max_length=10, choices=RegisterState.choices, default=RegisterState.OPEN
    )
    opened_at = models.DateTimeField("ouvert le", default=timezone.now)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clos par",
    )

    constraint_fields = {"attendance_register_once": "day"}

    class Meta:
        verbose_name = "registre de présence"
        verbose_name_plural = "registres de présence"
        ordering = ["-day", "site__name", "unit__sort_order"]
        default_permissions = ("view",)
        permissions = [
            ("take_attendance", "Peut pointer les présences et clore le registre"),
            ("reopen_register", "Peut rouvrir un registre de présence clos"),
            ("all_sites", "Voit les listes et registres de tous les sites"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "unit", "day"],
                name="attendance_register_once",
                violation_error_message=(
                    "Ce registre existe déjà pour ce site, cette unité et ce jour."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__in=RegisterState.values),
                name="attendance_register_state_valid",
                violation_error_message="État de registre inconnu.",
            ),
            models.CheckConstraint(
                condition=(Q(state=RegisterState.CLOSED) & Q(closed_at__isnull=False))
                | (Q(state=RegisterState.OPEN) & Q(closed_at__isnull=True)),
                name="attendance_register_closed_dated",
                violation_error_message=(
                    "Un registre clos indique quand il l'a été ; un registre ouvert, non."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit.name} — {self.site} — {self.day:%d/%m/%Y}"

    @property
    def is_closed(self):
        return self.state == RegisterState.CLOSED


class RegisterAction(models.TextChoices):
    CLOSED = "cloture", "Clôture"
    REOPENED = "reouverture", "Réouverture"


class RegisterEvent(models.Model):
    """Who closed or reopened a register, when, and why (a reopening says why)."""

    Action = RegisterAction

    register = models.ForeignKey(
        Register, on_delete=models.CASCADE, related_name="events", verbose_name="registre"
    )
    action = models.CharField("action", max_length=20, choices=RegisterAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="par",
    )
    actor_label = models.CharField("par (au moment de l'action)", max_length=255)
    at = models.DateTimeField("le", default=timezone.now)
    reason = models.CharField("motif", max_length=255, blank=True)

    class Meta:
        verbose_name = "historique d'un registre"
        verbose_name_plural = "historique des registres"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=RegisterAction.values),
                name="attendance_event_action_valid",
                violation_error_message="Action inconnue dans l'historique du registre.",
            ),
            models.CheckConstraint(
                condition=~Q(action=RegisterAction.REOPENED) | ~Q(reason=""),
                name="attendance_event_reopen_reason",
                violation_error_message="Une réouverture indique son motif.",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} — {self.register}"


class MarkState(models.TextChoices):
    PRESENT = "present", "Présent"
    ABSENT = "absent", "Absent"
    GONE = "parti", "Parti"


class Mark(FieldConstraintsMixin, models.Model):
    """What happened to one child in one register."""

    State = MarkState

    register = models.ForeignKey(
        Register, on_delete=models.CASCADE, related_name="marks", verbose_name="registre"
    )
    child = models.ForeignKey(
        "families.Child",
        on_delete=models.CASCADE,
        related_name="attendance_marks",
        verbose_name="enfant",
    )
    booking = models.ForeignKey(
        "bookings.Booking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance_marks",
        verbose_name="réservation",
    )
    unbooked = models.BooleanField("présence sans réservation", default=False)
    state = models.CharField("état", max_length=10, choices=MarkState.choices)
    arrived_at = models.DateTimeField("arrivé à", null=True, blank=True)
    departed_at = models.DateTimeField("parti à", null=True, blank=True)
    pickup_person = models.ForeignKey(
        "families.PickupPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="personne autorisée",
    )
    pickup_guardian = models.ForeignKey(
        "families.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="responsable légal",
    )
    # Who took the child, as written at that moment (kept if the family's list changes).
    pickup_name = models.CharField("récupéré par", max_length=255, blank=True)
    pickup_unlisted = models.BooleanField("personne hors de la liste autorisée", default=False)
    pickup_reason = models.CharField("motif (personne hors liste)", max_length=255, blank=True)
    left_alone = models.BooleanField("parti seul", default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="pointé par",
    )
    marked_at = models.DateTimeField("pointé le", default=timezone.now)

    constraint_fields = {
        "attendance_mark_once": "child",
        "attendance_mark_departure_after_arrival": "departed_at",
        "attendance_mark_unlisted_has_reason": "pickup_reason",
    }

    class Meta:
        verbose_name = "pointage"
        verbose_name_plural = "pointages"
        ordering = ["register", "child__last_name", "child__first_name"]
        default_permissions = ()
        indexes = [models.Index(fields=["child", "register"], name="attendance_mark_child_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "child"],
                name="attendance_mark_once",
                violation_error_message="Cet enfant est déjà pointé dans ce registre.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=MarkState.values),
                name="attendance_mark_state_valid",
                violation_error_message="État de pointage inconnu.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=MarkState.ABSENT, arrived_at__isnull=True, departed_at__isnull=True)
                    | Q(state=MarkState.PRESENT, arrived_at__isnull=False, departed_at__isnull=True)
                    | Q(state=MarkState.GONE, arrived_at__isnull=False, departed_at__isnull=False)
                ),
                name="attendance_mark_times_match_state",
                violation_error_message=(
                    "Un enfant présent a une heure d'arrivée ; un enfant parti, une heure "
                    "d'arrivée et de départ ; un enfant absent, aucune."
                ),
            ),
            models.CheckConstraint(
                condition=Q(departed_at__isnull=True) | Q(departed_at__gte=F("arrived_at")),
                name="attendance_mark_departure_after_arrival",
                violation_error_message="L'heure de départ précède l'heure d'arrivée.",
            ),
            models.CheckConstraint(
                condition=Q(unbooked=True, booking__isnull=True)
                | Q(unbooked=False, booking__isnull=False),
                name="attendance_mark_unbooked_without_booking",
                violation_error_message=(
                    "Une présence sans réservation n'a pas de réservation, les autres en ont une."
                ),
            ),
            models.CheckConstraint(
                condition=Q(pickup_person__isnull=True) | Q(pickup_guardian__isnull=True),
                name="attendance_mark_one_pickup",
                violation_error_message="Un enfant est récupéré par une seule personne.",
            ),
            models.CheckConstraint(
                condition=Q(pickup_unlisted=False) | (~Q(pickup_reason="") & ~Q(pickup_name="")),
                name="attendance_mark_unlisted_has_reason",
                violation_error_message=(
                    "Une personne hors de la liste autorisée est nommée, avec un motif."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=MarkState.GONE) | Q(left_alone=True) | ~Q(pickup_name=""),
                name="attendance_mark_departure_says_who",
                violation_error_message=(
                    "Un départ indique qui a récupéré l'enfant, ou qu'il est parti seul."
                ),
            ),
            models.CheckConstraint(
                condition=Q(left_alone=False) | (Q(pickup_name="") & Q(state=MarkState.GONE)),
                name="attendance_mark_alone_is_alone",
                violation_error_message="Un enfant parti seul n'a été récupéré par personne.",
            ),
        ]

    def __str__(self):
        return f"{self.child} — {self.get_state_display()} — {self.register}"

    def describe(self):
        """« Présent depuis 08:05 », « Absent », « Parti à 17:45 avec Mamie Roux »…"""
        if self.state == MarkState.ABSENT:
            return "Absent"
        arrived = timezone.localtime(self.arrived_at)
        if self.state == MarkState.PRESENT:
            return f"Présent depuis {arrived:%H:%M}"
        departed = timezone.localtime(self.departed_at)
        if self.left_alone:
            return f"Parti seul à {departed:%H:%M}"
        text = f"Parti à {departed:%H:%M} avec {self.pickup_name}"
        if self.pickup_unlisted:
            text += f" (hors liste : {self.pickup_reason})"
        return text
