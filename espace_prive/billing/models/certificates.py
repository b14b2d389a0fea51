"""Attestations fiscales: per régie, family and calendar year, the childcare amounts
paid that year for children under 6 on 1 January (CGI art. 200 quater B), per child,
for the services that qualify (``BilledService.childcare_tax_credit``). Issued once
(unique per régie, family, year), kept with their PDF in the private storage."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from espace_prive.families.models import private_storage

MONEY = {"max_digits": 10, "decimal_places": 2}


class TaxCertificate(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    regie = models.ForeignKey(
        "billing.Regie",
        on_delete=models.PROTECT,
        related_name="tax_certificates",
        verbose_name="régie",
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="tax_certificates"
    )
    year = models.PositiveSmallIntegerField("année")
    number = models.CharField("numéro", max_length=40)
    payer_name = models.CharField("payeur", max_length=255)
    payer_address = models.TextField("adresse du payeur", blank=True)
    total = models.DecimalField("total payé", **MONEY)
    # [{"child_id", "child_name", "birth_date", "amount"}], amounts as strings.
    detail = models.JSONField("détail par enfant", default=list)
    pdf = models.FileField(
        "PDF",
        storage=private_storage,
        upload_to="attestations-fiscales/",
        max_length=255,
        blank=True,
        editable=False,
    )
    issued_at = models.DateTimeField("émise le", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "attestation fiscale"
        verbose_name_plural = "attestations fiscales"
        ordering = ["-year", "payer_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regie", "family", "year"],
                name="billing_tax_certificate_once_a_year",
                violation_error_message="Cette famille a déjà son attestation fiscale de l'année.",
            ),
            models.CheckConstraint(
                condition=Q(total__gt=0) & Q(year__gte=2000) & Q(year__lte=2100),
                name="billing_tax_certificate_valid",
                violation_error_message="Une attestation porte sur une année et un montant payé.",
            ),
        ]

    def __str__(self):
        return f"Attestation fiscale {self.year} — {self.payer_name}"
