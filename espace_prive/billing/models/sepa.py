"""SEPA direct debit (prélèvement): a batch of a régie for one collection date, one
debit per invoice with the mandate it is collected under, the bank's rejections.

A batch is prepared (draft), its pain.008.001.02 file exported (the file is stored: a
second download is the same file), then marked settled, which records each debit as a
payment of the collection date. An invoice is in at most one debit that was not
rejected (a partial unique constraint); a rejected debit puts its amount back due.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from espace_prive.constraints import FieldConstraintsMixin

MONEY = {"max_digits": 10, "decimal_places": 2}


class DebitBatchState(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    EXPORTED = "exporte", "Fichier exporté"
    SETTLED = "regle", "Réglé"


class DebitBatch(FieldConstraintsMixin, models.Model):
    State = DebitBatchState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    regie = models.ForeignKey(
        "billing.Regie",
        on_delete=models.PROTECT,
        related_name="debit_batches",
        verbose_name="régie",
    )
    message_id = models.CharField("identifiant du fichier", max_length=35, unique=True)
    collection_date = models.DateField("date de prélèvement")
    state = models.CharField(
        "état", max_length=20, choices=DebitBatchState.choices, default=DebitBatchState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    exported_at = models.DateTimeField("exporté le", null=True, blank=True)
    xml = models.TextField("fichier pain.008", blank=True, editable=False)
    settled_at = models.DateTimeField("réglé le", null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "lot de prélèvements"
        verbose_name_plural = "lots de prélèvements"
        ordering = ["-collection_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DebitBatchState.values),
                name="billing_debitbatch_state_valid",
                violation_error_message="État de lot de prélèvements inconnu.",
            ),
            models.CheckConstraint(
                condition=(Q(state=DebitBatchState.DRAFT) & Q(exported_at__isnull=True))
                | (
                    Q(state=DebitBatchState.EXPORTED)
                    & Q(exported_at__isnull=False)
                    & ~Q(xml="")
                    & Q(settled_at__isnull=True)
                )
                | (
                    Q(state=DebitBatchState.SETTLED)
                    & Q(exported_at__isnull=False)
                    & Q(settled_at__isnull=False)
                ),
                name="billing_debitbatch_state_consistent",
                violation_error_message=(
                    "Un lot exporté a son fichier ; un lot réglé a été exporté puis réglé."
                ),
            ),
        ]

    def __str__(self):
        return f"Prélèvements du {self.collection_date:%d/%m/%Y} — {self.regie}"


class SequenceType(models.TextChoices):
    FIRST = "FRST", "Premier prélèvement du mandat"
    RECURRING = "RCUR", "Prélèvement récurrent"


class DebitState(models.TextChoices):
    PENDING = "a_prelever", "À prélever"
    COLLECTED = "preleve", "Prélevé"
    REJECTED = "rejete", "Rejeté"


class RejectReason(models.TextChoices):
    """The ISO 20022 reason codes of an R-transaction staff meet most."""

    AC01 = "AC01", "AC01 — numéro de compte incorrect"
    AC04 = "AC04", "AC04 — compte clôturé"
    AC06 = "AC06", "AC06 — compte bloqué"
    AG01 = "AG01", "AG01 — prélèvement interdit sur ce compte"
    AM04 = "AM04", "AM04 — provision insuffisante"
    MD01 = "MD01", "MD01 — pas de mandat valide"
    MD02 = "MD02", "MD02 — mandat incomplet ou incorrect"
    MD06 = "MD06", "MD06 — remboursement demandé par le débiteur"
    MD07 = "MD07", "MD07 — débiteur décédé"
    MS02 = "MS02", "MS02 — refus du débiteur"
    MS03 = "MS03", "MS03 — motif non communiqué par la banque"
    SL01 = "SL01", "SL01 — service spécifique de la banque du débiteur"


class Debit(FieldConstraintsMixin, models.Model):
    """One invoice collected under the family's mandate (a snapshot of the mandate and
    of the account at the time the batch was prepared)."""

    State = DebitState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    batch = models.ForeignKey(DebitBatch, on_delete=models.CASCADE, related_name="debits")
    invoice = models.ForeignKey(
        "billing.Invoice", on_delete=models.PROTECT, related_name="debits", verbose_name="facture"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="debits", verbose_name="famille"
    )
    amount = models.DecimalField("montant", **MONEY)
    end_to_end_id = models.CharField("référence de bout en bout", max_length=35, unique=True)
    mandate_reference = models.CharField("référence unique du mandat", max_length=35)
    mandate_signed_on = models.DateField("mandat signé le")
    sequence_type = models.CharField("séquence", max_length=4, choices=SequenceType.choices)
    debtor_name = models.CharField("titulaire du compte", max_length=70)
    iban = models.CharField("IBAN", max_length=34)
    bic = models.CharField("BIC", max_length=11, blank=True)
    state = models.CharField(
        "état", max_length=20, choices=DebitState.choices, default=DebitState.PENDING
    )
    payment = models.OneToOneField(
        "billing.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="debit"
    )
    reversal = models.OneToOneField(
        "billing.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rejected_debit",
    )
    reject_reason = models.CharField(
        "motif du rejet", max_length=4, choices=RejectReason.choices, blank=True
    )
    rejected_on = models.DateField("rejeté le", null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    constraint_fields = {
        "billing_debit_one_live_per_invoice": "invoice",
        "billing_debit_amount_positive": "amount",
    }

    class Meta:
        verbose_name = "prélèvement"
        verbose_name_plural = "prélèvements"
        ordering = ["batch_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice"],
                condition=~Q(state=DebitState.REJECTED),
                name="billing_debit_one_live_per_invoice",
                violation_error_message="Cette facture est déjà dans un prélèvement.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="billing_debit_amount_positive",
                violation_error_message="Un prélèvement porte sur un montant positif.",
            ),
            models.CheckConstraint(
                condition=Q(sequence_type__in=SequenceType.values),
                name="billing_debit_sequence_valid",
                violation_error_message="Séquence de prélèvement inconnue (FRST ou RCUR).",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=DebitState.PENDING) & Q(payment__isnull=True) & Q(reject_reason="")
                )
                | (Q(state=DebitState.COLLECTED) & Q(payment__isnull=False) & Q(reject_reason=""))
                | (
                    Q(state=DebitState.REJECTED)
                    & Q(reject_reason__in=RejectReason.values)
                    & Q(rejected_on__isnull=False)
                    & (Q(payment__isnull=True) | Q(reversal__isnull=False))
                ),
                name="billing_debit_state_consistent",
                violation_error_message=(
                    "Un prélèvement prélevé a son paiement ; un prélèvement rejeté a son motif, "
                    "sa date et, s'il avait été payé, son annulation."
                ),
            ),
        ]

    def __str__(self):
        return f"Prélèvement {self.end_to_end_id} ({self.amount} €)"
