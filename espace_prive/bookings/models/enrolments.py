"""The yearly enrolment (inscription) of a child to a service at a site.

A family asks; staff accept or refuse it with a reason in the queue « Demandes des
familles », where it is a type of its own. Only an accepted enrolment lets the family
book the service's units for that school year.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from espace_prive.constraints import FieldConstraintsMixin
from espace_prive.decisions import Decidable


class EnrolmentState(models.TextChoices):
    PENDING = "en_attente", "En attente de validation"
    ACCEPTED = "acceptee", "Acceptée"
    REFUSED = "refusee", "Refusée"
    CANCELLED = "annulee", "Annulée par la famille"
    ENDED = "terminee", "Terminée"


ACTIVE_ENROLMENT_STATES = (EnrolmentState.PENDING, EnrolmentState.ACCEPTED)


class Enrolment(Decidable, FieldConstraintsMixin, models.Model):
    State = EnrolmentState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        "families.Child", on_delete=models.CASCADE, related_name="enrolments", verbose_name="enfant"
    )
    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name="service",
    )
    site = models.ForeignKey(
        "catalogue.Site", on_delete=models.PROTECT, related_name="enrolments", verbose_name="site"
    )
    school_year = models.ForeignKey(
        "bookings.SchoolYear",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name="année scolaire",
    )
    state = models.CharField(
        "état", max_length=20, choices=EnrolmentState.choices, default=EnrolmentState.PENDING
    )
    notes = models.TextField("message de la famille", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="demandée par",
    )
    requested_by_staff = models.BooleanField("saisie par le service", default=False)
    requested_at = models.DateTimeField("reçue le", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traitée par",
    )
    decided_at = models.DateTimeField("traitée le", null=True, blank=True)
    reason = models.TextField("motif", blank=True)
    family_seen_at = models.DateTimeField("décision vue par la famille le", null=True, blank=True)

    constraint_fields = {
        "bookings_enrolment_one_active": "service",
        "bookings_enrolment_refusal_has_reason": "reason",
    }

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("decide_enrolment", "Peut accepter ou refuser les inscriptions"),
        ]
        indexes = [
            models.Index(fields=["state", "requested_at"], name="bookings_enrol_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=EnrolmentState.values),
                name="bookings_enrolment_state_valid",
                violation_error_message="État d'inscription inconnu.",
            ),
            models.UniqueConstraint(
                fields=["child", "service", "school_year"],
                condition=Q(state__in=ACTIVE_ENROLMENT_STATES),
                name="bookings_enrolment_one_active",
                violation_error_message=(
                    "Cet enfant est déjà inscrit à ce service pour cette année scolaire, ou "
                    "une demande d'inscription est déjà en attente."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=EnrolmentState.PENDING)
                    & Q(decided_at__isnull=True)
                    & Q(decided_by__isnull=True)
                )
                | (~Q(state=EnrolmentState.PENDING) & Q(decided_at__isnull=False)),
                name="bookings_enrolment_decision_consistent",
                violation_error_message=(
                    "Une inscription traitée indique quand elle l'a été ; une inscription en "
                    "attente, non."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=EnrolmentState.REFUSED) | ~Q(reason=""),
                name="bookings_enrolment_refusal_has_reason",
                violation_error_message="Un refus d'inscription doit être motivé.",
            ),
        ]

    def __str__(self):
        return f"{self.child} — {self.service} ({self.school_year.label})"

    @property
    def is_pending(self):
        return self.state == EnrolmentState.PENDING

    @property
    def is_accepted(self):
        return self.state == EnrolmentState.ACCEPTED

    @property
    def title(self):
        return f"Inscription : {self.service}"
