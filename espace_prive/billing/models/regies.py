"""A régie: who bills (one instance may serve several communes, each with its régies),
the services it bills with their billing rules, and its gapless number sequences."""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from espace_prive.constraints import FieldConstraintsMixin
from espace_prive.families.validators import (
    normalize_bic,
    normalize_iban,
    validate_bic,
    validate_iban,
    validate_iban_matches_bic,
)

from ..sepa_rules import ICS, normalize_creditor_identifier, validate_creditor_identifier

ENV_NAME = r"^[A-Z][A-Z0-9_]*$"
SIRET = r"^[0-9]{14}$"


class Regie(FieldConstraintsMixin, models.Model):
    """A régie de recettes: own invoice and credit-note numbering, own payment account.

    Stripe keys are never stored: the régie names the environment variables that hold
    them (``STRIPE_SECRET_KEY`` by default), so that two régies can use two accounts.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=150, unique=True)
    commune = models.ForeignKey(
        "bookings.Commune",
        on_delete=models.PROTECT,
        related_name="regies",
        verbose_name="commune",
    )
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[RegexValidator(SIRET, "Le SIRET compte 14 chiffres.")],
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    payment_delay_days = models.PositiveSmallIntegerField(
        "délai de paiement (jours)",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        "rappel avant l'échéance (jours)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Un e-mail de rappel ce nombre de jours avant l'échéance. Vide : aucun.",
    )
    dunning_days_after = models.PositiveSmallIntegerField(
        "relance après l'échéance (jours)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Une relance ce nombre de jours après l'échéance d'une facture impayée. "
        "Vide : aucune.",
    )
    stripe_secret_key_env = models.CharField(
        "variable d'environnement de la clé secrète Stripe",
        max_length=64,
        default="STRIPE_SECRET_KEY",
        validators=[RegexValidator(ENV_NAME, "Un nom de variable en majuscules.")],
    )
    stripe_webhook_secret_env = models.CharField(
        "variable d'environnement du secret des webhooks Stripe",
        max_length=64,
        default="STRIPE_WEBHOOK_SECRET",
        validators=[RegexValidator(ENV_NAME, "Un nom de variable en majuscules.")],
    )
    # SEPA direct debit: the creditor identifier (ICS) the Banque de France gave the
    # régie, and the account the debits are paid into.
    sepa_creditor_id = models.CharField(
        "identifiant créancier SEPA (ICS)",
        max_length=35,
        blank=True,
        validators=[validate_creditor_identifier],
        help_text="Par exemple FR12ZZZ123456 ; vide : pas de prélèvement automatique.",
    )
    sepa_creditor_name = models.CharField(
        "nom du créancier sur les prélèvements",
        max_length=70,
        blank=True,
        help_text="Vide : le nom de la régie.",
    )
    sepa_iban = models.CharField(
        "IBAN du compte de la régie", max_length=34, blank=True, validators=[validate_iban]
    )
    sepa_bic = models.CharField(
        "BIC du compte de la régie", max_length=11, blank=True, validators=[validate_bic]
    )
    # Item 9 of issue 13: off unless the town sets a number of days.
    unpaid_block_days = models.PositiveSmallIntegerField(
        "bloquer les nouvelles réservations si une facture est impayée depuis plus de "
        "(jours après son échéance)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Vide : jamais bloquer. Le service peut toujours réserver pour la famille.",
    )
    services = models.ManyToManyField(
        "catalogue.Service",
        through="BilledService",
        related_name="regies",
        verbose_name="services facturés",
    )

    constraint_fields = {
        "billing_regie_siret_format": "siret",
        "billing_regie_env_names": "stripe_secret_key_env",
        "billing_regie_delay_range": "payment_delay_days",
        "billing_regie_sepa_shapes": "sepa_creditor_id",
        "billing_regie_sepa_complete": "sepa_iban",
        "billing_regie_unpaid_block_range": "unpaid_block_days",
        "billing_regie_reminder_range": "reminder_days_before",
    }

    class Meta:
        verbose_name = "régie"
        verbose_name_plural = "régies"
        ordering = ["name"]
        permissions = [
            ("run_billing", "Peut préparer et émettre la facturation"),
            ("record_payment", "Peut enregistrer des paiements"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=SIRET),
                name="billing_regie_siret_format",
                violation_error_message="Le SIRET compte 14 chiffres.",
            ),
            models.CheckConstraint(
                condition=Q(stripe_secret_key_env__regex=ENV_NAME)
                & Q(stripe_webhook_secret_env__regex=ENV_NAME),
                name="billing_regie_env_names",
                violation_error_message=(
                    "Indiquez le nom d'une variable d'environnement (majuscules, chiffres, _)."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(reminder_days_before__isnull=True)
                    | (Q(reminder_days_before__gte=1) & Q(reminder_days_before__lte=60))
                )
                & (
                    Q(dunning_days_after__isnull=True)
                    | (Q(dunning_days_after__gte=1) & Q(dunning_days_after__lte=120))
                ),
                name="billing_regie_reminder_range",
                violation_error_message=(
                    "Le rappel va de 1 à 60 jours avant l'échéance, la relance de 1 à 120 "
                    "jours après."
                ),
            ),
            models.CheckConstraint(
                condition=Q(payment_delay_days__gte=1) & Q(payment_delay_days__lte=120),
                name="billing_regie_delay_range",
                violation_error_message="Le délai de paiement va de 1 à 120 jours.",
            ),
            models.CheckConstraint(
                condition=(Q(sepa_creditor_id="") | Q(sepa_creditor_id__regex=ICS))
                & (Q(sepa_iban="") | Q(sepa_iban__regex=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"))
                & (Q(sepa_bic="") | Q(sepa_bic__regex=r"^[A-Z0-9]{8}([A-Z0-9]{3})?$")),
                name="billing_regie_sepa_shapes",
                violation_error_message=(
                    "L'ICS, l'IBAN ou le BIC de la régie n'a pas la forme attendue."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(sepa_creditor_id="") & Q(sepa_iban=""))
                | (~Q(sepa_creditor_id="") & ~Q(sepa_iban="")),
                name="billing_regie_sepa_complete",
                violation_error_message=(
                    "Le prélèvement demande l'identifiant créancier (ICS) et l'IBAN de la "
                    "régie, ou aucun des deux."
                ),
            ),
            models.CheckConstraint(
                condition=Q(unpaid_block_days__isnull=True)
                | (Q(unpaid_block_days__gte=1) & Q(unpaid_block_days__lte=365)),
                name="billing_regie_unpaid_block_range",
                violation_error_message="Le blocage des réservations va de 1 à 365 jours.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        """Identifiers written without spaces, in capitals; the régie's IBAN and BIC
        checked together (same country)."""
        self.sepa_creditor_id = normalize_creditor_identifier(self.sepa_creditor_id)
        self.sepa_iban = normalize_iban(self.sepa_iban)
        self.sepa_bic = normalize_bic(self.sepa_bic)
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        checked = {"sepa_iban", "sepa_bic"} - set(exclude or ()) - set(errors)
        if checked == {"sepa_iban", "sepa_bic"} and self.sepa_iban and self.sepa_bic:
            try:
                validate_iban_matches_bic(self.sepa_iban, self.sepa_bic)
            except ValidationError as error:
                errors.setdefault("sepa_bic", []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def clean(self):
        super().clean()
        if bool(self.sepa_creditor_id) != bool(self.sepa_iban):
            field = "sepa_iban" if self.sepa_creditor_id else "sepa_creditor_id"
            raise ValidationError(
                {
                    field: "Le prélèvement demande l'identifiant créancier (ICS) et l'IBAN "
                    "de la régie, ou aucun des deux."
                }
            )

    @property
    def offers_direct_debit(self):
        return bool(self.sepa_creditor_id and self.sepa_iban)

    @property
    def creditor_name(self):
        return self.sepa_creditor_name or self.name


PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(500)],
}


class BilledService(FieldConstraintsMixin, models.Model):
    """A service billed by a régie (one régie per service), with its billing rules."""

    regie = models.ForeignKey(
        Regie, on_delete=models.PROTECT, related_name="billed_services", verbose_name="régie"
    )
    service = models.OneToOneField(
        "catalogue.Service",
        on_delete=models.PROTECT,
        related_name="billing",
        verbose_name="service",
    )
    late_cancel_rate = models.DecimalField(
        "annulation tardive facturée à (%)",
        default=Decimal("100"),
        help_text="0 : une annulation après le délai n'est pas facturée.",
        **PERCENT,
    )
    unbooked_presence_rate = models.DecimalField(
        "présence sans réservation facturée à (%)",
        default=Decimal("100"),
        help_text="Par exemple 120 pour une majoration de 20 %.",
        **PERCENT,
    )
    childcare_tax_credit = models.BooleanField(
        "garde hors du domicile (crédit d'impôt)",
        default=False,
        help_text=(
            "Coché : les sommes payées pour les enfants de moins de 6 ans au 1er janvier "
            "figurent sur l'attestation fiscale (frais de garde). Pas pour la cantine."
        ),
    )

    constraint_fields = {"billing_billedservice_rates_range": "late_cancel_rate"}

    class Meta:
        verbose_name = "service facturé"
        verbose_name_plural = "services facturés"
        ordering = ["service__sort_order", "service__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(late_cancel_rate__gte=0)
                & Q(late_cancel_rate__lte=500)
                & Q(unbooked_presence_rate__gte=0)
                & Q(unbooked_presence_rate__lte=500),
                name="billing_billedservice_rates_range",
                violation_error_message="Un taux de facturation va de 0 à 500 %.",
            ),
        ]

    def __str__(self):
        return f"{self.service} — {self.regie}"


class SequenceKind(models.TextChoices):
    INVOICE = "facture", "Factures"
    CREDIT_NOTE = "avoir", "Avoirs"


class InvoiceSequence(models.Model):
    """The last number given for a régie, kind and year. Incremented under a row lock
    inside the transaction that issues the document: a rollback gives the number back,
    so the sequence has no gap and no duplicate."""

    regie = models.ForeignKey(
        Regie, on_delete=models.PROTECT, related_name="sequences", verbose_name="régie"
    )
    kind = models.CharField("type", max_length=10, choices=SequenceKind.choices)
    year = models.PositiveSmallIntegerField("année")
    last_number = models.PositiveIntegerField("dernier numéro", default=0)

    class Meta:
        verbose_name = "séquence de numérotation"
        verbose_name_plural = "séquences de numérotation"
        constraints = [
            models.UniqueConstraint(
                fields=["regie", "kind", "year"],
                name="billing_sequence_unique",
                violation_error_message="Cette séquence existe déjà.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SequenceKind.values),
                name="billing_sequence_kind_valid",
                violation_error_message="Type de séquence inconnu.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="billing_sequence_year_range",
                violation_error_message="Année de séquence invraisemblable.",
            ),
        ]

    def __str__(self):
        return f"{self.regie} — {self.get_kind_display()} {self.year}"
