"""The family file (foyer): address, allowances, billing details, consents."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from espace_prive.constraints import FieldConstraintsMixin

from ..validators import (
    format_iban,
    validate_bic,
    validate_iban,
    validate_iban_matches_bic,
    validate_not_in_future,
    validate_tax_number,
)
from .base import AllowanceBody, GuardianRole, private_storage


class Family(FieldConstraintsMixin, models.Model):
    """A household (foyer): the unit that enrols children, books and is billed."""

    class Situation(models.TextChoices):
        MARRIED = "marie", "Marié(e)s"
        CIVIL_UNION = "pacse", "Pacsé(e)s"
        COHABITING = "concubinage", "En concubinage"
        SINGLE = "celibataire", "Célibataire"
        SEPARATED = "separe", "Séparé(e)s"
        DIVORCED = "divorce", "Divorcé(e)s"
        WIDOWED = "veuf", "Veuf / veuve"
        UNKNOWN = "", "Non renseignée"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        "référence",
        max_length=30,
        unique=True,
        error_messages={"unique": "Une famille porte déjà cette référence."},
        help_text="Identifiant du dossier famille dans la commune (ex. FAM-00042).",
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    situation = models.CharField(
        "situation familiale", max_length=20, choices=Situation.choices, blank=True
    )
    paperless_invoices = models.BooleanField("factures dématérialisées", default=False)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    # Fiscal data (avis d'imposition)
    tax_number = models.CharField(
        "numéro fiscal",
        max_length=13,
        blank=True,
        validators=[validate_tax_number],
        help_text="13 chiffres, en haut de votre avis d'impôt.",
    )
    tax_year = models.PositiveSmallIntegerField(
        "année des revenus", null=True, blank=True, help_text="Par exemple 2025."
    )
    reference_tax_income = models.DecimalField(
        "revenu fiscal de référence (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    tax_shares = models.DecimalField(
        "nombre de parts", max_digits=4, decimal_places=2, null=True, blank=True
    )

    # CAF / MSA and quotient familial
    allowance_body = models.CharField(
        "organisme d'allocations familiales",
        max_length=10,
        choices=AllowanceBody.choices,
        blank=True,
    )
    allowance_number = models.CharField("numéro d'allocataire", max_length=20, blank=True)
    quotient_familial = models.DecimalField(
        "quotient familial (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    qf_valid_from = models.DateField("quotient familial valable du", null=True, blank=True)
    qf_valid_to = models.DateField("quotient familial valable jusqu'au", null=True, blank=True)
    qf_proof = models.FileField(
        "justificatif du quotient familial",
        storage=private_storage,
        max_length=255,
        blank=True,
        editable=False,
        help_text="Attestation CAF ou MSA : PDF, JPEG ou PNG, 5 Mo au plus.",
    )

    # Bank details for direct debit
    account_holder = models.CharField("titulaire du compte", max_length=150, blank=True)
    iban = models.CharField(
        "IBAN",
        max_length=34,
        blank=True,
        validators=[validate_iban],
        help_text="Sur votre RIB, par exemple FR76 3000 6000 0112 3456 7890 189.",
    )
    bic = models.CharField(
        "BIC", max_length=11, blank=True, validators=[validate_bic], help_text="8 ou 11 caractères."
    )
    sepa_mandate_reference = models.CharField(
        "référence unique du mandat SEPA", max_length=35, blank=True
    )
    sepa_mandate_signed_on = models.DateField(
        "date de signature du mandat SEPA",
        null=True,
        blank=True,
        validators=[validate_not_in_future],
    )

    # Life of the file
    left_on = models.DateField(
        "a quitté la commune le",
        null=True,
        blank=True,
        help_text="Une famille partie peut ensuite être anonymisée.",
    )
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    constraint_fields = {
        "families_family_reference_not_empty": "reference",
        "families_family_reference_unique_ci": "reference",
        "families_family_qf_not_negative": "quotient_familial",
        "families_family_qf_validity_needs_value": "quotient_familial",
        "families_family_qf_validity_ordered": "qf_valid_to",
        "families_family_tax_income_not_negative": "reference_tax_income",
        "families_family_tax_shares_positive": "tax_shares",
        "families_family_iban_shape": "iban",
        "families_family_bic_shape": "bic",
        "families_family_anonymised_only_after_leaving": "left_on",
    }

    class Meta:
        verbose_name = "famille"
        verbose_name_plural = "familles"
        ordering = ["reference"]
        permissions = [("anonymise_family", "Peut anonymiser une famille partie")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reference=""),
                name="families_family_reference_not_empty",
                violation_error_message="La référence du dossier est obligatoire.",
            ),
            # The import matches references whatever their case.
            models.UniqueConstraint(
                Lower("reference"),
                name="families_family_reference_unique_ci",
                violation_error_message="Une famille porte déjà cette référence.",
            ),
            models.CheckConstraint(
                condition=models.Q(allowance_body__in=AllowanceBody.values),
                name="families_family_allowance_body_valid",
                violation_error_message="Choisissez la CAF, la MSA ou aucun organisme.",
            ),
            models.CheckConstraint(
                condition=models.Q(quotient_familial__isnull=True)
                | models.Q(quotient_familial__gte=0),
                name="families_family_qf_not_negative",
                violation_error_message="Le quotient familial ne peut pas être négatif.",
            ),
            # A validity only makes sense for a known quotient, and runs forward.
            models.CheckConstraint(
                condition=models.Q(qf_valid_from__isnull=True)
                | models.Q(quotient_familial__isnull=False),
                name="families_family_qf_validity_needs_value",
                violation_error_message=(
                    "Une validité du quotient familial demande un quotient familial au dossier."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(qf_valid_from__isnull=True)
                | models.Q(qf_valid_to__isnull=True)
                | models.Q(qf_valid_to__gte=models.F("qf_valid_from")),
                name="families_family_qf_validity_ordered",
                violation_error_message=(
                    "La fin de validité du quotient familial doit suivre son début."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(reference_tax_income__isnull=True)
                | models.Q(reference_tax_income__gte=0),
                name="families_family_tax_income_not_negative",
                violation_error_message="Le revenu fiscal de référence ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=models.Q(tax_shares__isnull=True) | models.Q(tax_shares__gt=0),
                name="families_family_tax_shares_positive",
                violation_error_message="Le nombre de parts fiscales doit être supérieur à zéro.",
            ),
            models.CheckConstraint(
                condition=models.Q(iban="")
                | models.Q(iban__regex=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"),
                name="families_family_iban_shape",
                violation_error_message=(
                    "L'IBAN n'a pas la forme d'un IBAN (2 lettres, 2 chiffres, puis 11 à 30 "
                    "lettres ou chiffres)."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(bic="") | models.Q(bic__regex=r"^[A-Z0-9]{8}([A-Z0-9]{3})?$"),
                name="families_family_bic_shape",
                violation_error_message="Le BIC compte 8 ou 11 lettres ou chiffres.",
            ),
            # A SEPA mandate has both a reference and a signature date, and an account.
            models.CheckConstraint(
                condition=(
                    models.Q(sepa_mandate_reference="")
                    & models.Q(sepa_mandate_signed_on__isnull=True)
                )
                | (
                    ~models.Q(sepa_mandate_reference="")
                    & models.Q(sepa_mandate_signed_on__isnull=False)
                    & ~models.Q(iban="")
                ),
                name="families_family_sepa_mandate_complete",
                violation_error_message=(
                    "Un mandat SEPA demande sa référence, sa date de signature et un IBAN au "
                    "dossier."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(anonymised_at__isnull=True) | models.Q(left_on__isnull=False),
                name="families_family_anonymised_only_after_leaving",
                violation_error_message="Une famille n'est anonymisée qu'après son départ.",
            ),
        ]

    def __str__(self):
        return self.reference

    def clean_fields(self, exclude=None):
        """The field validators, then the IBAN and the BIC checked together when both are
        validated (a form or request of the bank details, the staff form)."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        checked = {"iban", "bic"} - set(exclude or ()) - set(errors)
        if checked == {"iban", "bic"}:
            try:
                validate_iban_matches_bic(self.iban, self.bic)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def has_active_sepa_mandate(self):
        """A signed SEPA mandate is on file: the bank details are those it debits."""
        return bool(self.sepa_mandate_reference and self.sepa_mandate_signed_on)

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    @property
    def iban_display(self):
        return format_iban(self.iban)

    def qf_is_valid_on(self, day):
        """Whether staff validated a quotient familial covering ``day``."""
        return (
            self.quotient_familial is not None
            and self.qf_valid_from is not None
            and self.qf_valid_from <= day
            and (self.qf_valid_to is None or day <= self.qf_valid_to)
        )

    @property
    def primary_guardian(self):
        """Responsable 1, from prefetched guardians when available."""
        for guardian in self.guardians.all():
            if guardian.role == GuardianRole.PRIMARY:
                return guardian
        return None
