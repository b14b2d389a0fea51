"""Absences: a family (or staff) says a booked child will not come, with a reason from
the town's list; each reason says whether the day stays billable (read by billing)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from espace_prive.constraints import FieldConstraintsMixin
from espace_prive.families.models import private_storage


class AbsenceReason(FieldConstraintsMixin, models.Model):
    """A reason of absence the town keeps (maladie, rendez-vous médical, autre…).

    ``billable``: whether an absent day stays billed. ``waived_with_certificate``: a
    billable day is not billed when a certificate arrives within
    ``certificate_delay_hours`` of the day (e.g. illness with a certificate in 48 h).
    """

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=100)
    billable = models.BooleanField("le jour reste facturé", default=True)
    waived_with_certificate = models.BooleanField("non facturé avec un justificatif", default=False)
    certificate_delay_hours = models.PositiveSmallIntegerField(
        "délai pour le justificatif (heures)",
        null=True,
        blank=True,
        help_text="Après le jour d'absence ; laisser vide pour aucun délai.",
    )
    requires_details = models.BooleanField(
        "précision obligatoire", default=False, help_text="Pour « Autre » : la famille précise."
    )
    is_active = models.BooleanField("proposé", default=True)
    sort_order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    constraint_fields = {"bookings_reason_waiver_needs_billable": "waived_with_certificate"}

    class Meta:
        verbose_name = "motif d'absence"
        verbose_name_plural = "motifs d'absence"
        ordering = ["sort_order", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(waived_with_certificate=False) | Q(billable=True),
                name="bookings_reason_waiver_needs_billable",
                violation_error_message=(
                    "Un jour non facturé n'a pas besoin de justificatif pour ne pas l'être : "
                    "cochez « le jour reste facturé » ou décochez le justificatif."
                ),
            ),
        ]

    def __str__(self):
        return self.label

    def billable_for(self, *, day, certificate_sent_at):
        """Whether an absence on ``day`` with this reason is billed."""
        if not self.billable:
            return False
        if not self.waived_with_certificate or certificate_sent_at is None:
            return True
        if self.certificate_delay_hours is None:
            return False
        end_of_day = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        )
        return certificate_sent_at > end_of_day + datetime.timedelta(
            hours=self.certificate_delay_hours
        )


class AbsenceDeclaration(FieldConstraintsMixin, models.Model):
    """One declaration: a child absent from ``first_day`` to ``last_day`` (one unit or
    all), with a reason and an optional certificate in the private storage."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        "families.Child",
        on_delete=models.CASCADE,
        related_name="absence_declarations",
        verbose_name="enfant",
    )
    reason = models.ForeignKey(
        AbsenceReason, on_delete=models.PROTECT, related_name="+", verbose_name="motif"
    )
    details = models.CharField("précision", max_length=255, blank=True)
    first_day = models.DateField("du")
    last_day = models.DateField("au (inclus)")
    certificate = models.FileField(
        "justificatif", storage=private_storage, max_length=255, blank=True, editable=False
    )
    certificate_sent_at = models.DateTimeField("justificatif reçu le", null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="déclarée par",
    )
    declared_by_staff = models.BooleanField("déclarée par le service", default=False)
    declared_at = models.DateTimeField("déclarée le", default=timezone.now)

    constraint_fields = {"bookings_absence_dates_ordered": "last_day"}

    class Meta:
        verbose_name = "déclaration d'absence"
        verbose_name_plural = "déclarations d'absence"
        ordering = ["-first_day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="bookings_absence_dates_ordered",
                violation_error_message="Le dernier jour d'absence précède le premier.",
            ),
            models.CheckConstraint(
                condition=(Q(certificate="") & Q(certificate_sent_at__isnull=True))
                | (~Q(certificate="") & Q(certificate_sent_at__isnull=False)),
                name="bookings_absence_certificate_dated",
                violation_error_message="Un justificatif indique quand il a été reçu.",
            ),
        ]

    def __str__(self):
        return f"Absence de {self.child} du {self.first_day:%d/%m/%Y} au {self.last_day:%d/%m/%Y}"

    def download_words(self):
        """The certificate is downloaded as ``justificatif-absence-lea-martin-2027-01-11.pdf``
        (``espace_prive.downloads``), never under the name the family gave it."""
        return ("justificatif absence", self.child.full_name, self.first_day.isoformat())

    @property
    def reason_label(self):
        if self.details:
            return f"{self.reason.label} ({self.details})"
        return self.reason.label


class Absence(models.Model):
    """One booked day the child is absent from (a declaration covers one or more)."""

    declaration = models.ForeignKey(
        AbsenceDeclaration,
        on_delete=models.CASCADE,
        related_name="absences",
        verbose_name="déclaration",
    )
    booking = models.OneToOneField(
        "bookings.Booking",
        on_delete=models.CASCADE,
        related_name="absence",
        verbose_name="réservation",
    )

    class Meta:
        verbose_name = "absence"
        verbose_name_plural = "absences"
        ordering = ["booking__day"]

    def __str__(self):
        return f"Absence — {self.booking}"

    @property
    def is_billable(self):
        declaration = self.declaration
        return declaration.reason.billable_for(
            day=self.booking.day, certificate_sent_at=declaration.certificate_sent_at
        )
