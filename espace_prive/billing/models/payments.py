"""Payments received by a régie (manual or online), their allocation to invoices, and
the Stripe events already processed (one row per event id: a replay does nothing)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from espace_prive.constraints import FieldConstraintsMixin

MONEY = {"max_digits": 10, "decimal_places": 2}


class PaymentMethod(models.TextChoices):
    CARD = "carte", "Carte bancaire (en ligne)"
    CHEQUE = "cheque", "Chèque"
    CASH = "especes", "Espèces"
    TRANSFER = "virement", "Virement"
    DIRECT_DEBIT = "prelevement", "Prélèvement"
    CESU = "cesu", "CESU"
    ANCV = "ancv", "Chèques vacances ANCV"


class Payment(FieldConstraintsMixin, models.Model):
    """Money received from a family (a refund is negative and flagged as such)."""

    Method = PaymentMethod

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    regie = models.ForeignKey(
        "billing.Regie", on_delete=models.PROTECT, related_name="payments", verbose_name="régie"
    )
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField("montant", **MONEY)
    is_refund = models.BooleanField("remboursement", default=False)
    method = models.CharField("moyen de paiement", max_length=20, choices=PaymentMethod.choices)
    received_on = models.DateField("reçu le")
    reference = models.CharField("référence (n° de chèque…)", max_length=100, blank=True)
    # The provider's business key (Stripe Checkout Session id): one payment per session.
    provider_reference = models.CharField(max_length=255, null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)
    # A payment that did not happen after all (a rejected direct debit): this negative
    # payment cancels it, invoice by invoice (its allocations are negative).
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="annule le paiement",
    )

    constraint_fields = {"billing_payment_amount_sign": "amount"}

    class Meta:
        verbose_name = "paiement"
        verbose_name_plural = "paiements"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=PaymentMethod.values),
                name="billing_payment_method_valid",
                violation_error_message="Moyen de paiement inconnu.",
            ),
            models.CheckConstraint(
                condition=(Q(is_refund=False) & Q(amount__gt=0))
                | (Q(is_refund=True) & Q(amount__lt=0)),
                name="billing_payment_amount_sign",
                violation_error_message=(
                    "Le montant d'un paiement doit être positif (négatif pour un remboursement)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(is_refund=True),
                name="billing_payment_reversal_negative",
                violation_error_message="L'annulation d'un paiement est un montant négatif.",
            ),
        ]

    def __str__(self):
        return f"{self.get_method_display()} de {self.amount} € le {self.received_on:%d/%m/%Y}"


class Allocation(models.Model):
    """The part of a payment that pays an invoice."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(
        "billing.Invoice", on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField("montant", **MONEY)
    # The allocation of a reversal (a rejected debit): negative, it makes the invoice due.
    is_reversal = models.BooleanField("annulation", default=False)

    class Meta:
        verbose_name = "affectation de paiement"
        verbose_name_plural = "affectations de paiement"
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "invoice"],
                name="billing_allocation_unique",
                violation_error_message="Ce paiement est déjà affecté à cette facture.",
            ),
            models.CheckConstraint(
                condition=(Q(is_reversal=False) & Q(amount__gt=0))
                | (Q(is_reversal=True) & Q(amount__lt=0)),
                name="billing_allocation_amount_positive",
                violation_error_message=(
                    "Une affectation doit être positive (négative pour une annulation)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.amount} € sur la facture {self.invoice_id}"


class StripeEvent(models.Model):
    """A Stripe webhook event already handled (its id is unique: a replay is a no-op)."""

    event_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=255, blank=True)
    # An event staff must look at (unknown session, amount or currency not as asked).
    regie = models.ForeignKey(
        "billing.Regie", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    session_id = models.CharField(max_length=255, blank=True)
    needs_review = models.BooleanField("à vérifier", default=False)

    class Meta:
        verbose_name = "événement Stripe"
        verbose_name_plural = "événements Stripe"
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return self.event_id


class CheckoutState(models.TextChoices):
    OPEN = "ouvert", "En attente du paiement"
    PAID = "paye", "Payé"
    REVIEW = "a_verifier", "À vérifier par la régie"


class CardCheckout(models.Model):
    """A card payment started by a family: the exact amount and invoices asked of the
    provider (the webhook is checked against it)."""

    State = CheckoutState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    regie = models.ForeignKey("billing.Regie", on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="card_checkouts"
    )
    invoices = models.ManyToManyField("billing.Invoice", related_name="+")
    amount = models.DecimalField("montant", **MONEY)
    provider = models.CharField("prestataire", max_length=20, default="stripe")
    session_id = models.CharField(max_length=255, unique=True)
    state = models.CharField(
        "état", max_length=20, choices=CheckoutState.choices, default=CheckoutState.OPEN
    )
    review_note = models.CharField("à vérifier", max_length=255, blank=True)
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="checkout"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "paiement par carte"
        verbose_name_plural = "paiements par carte"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="billing_checkout_amount_positive",
                violation_error_message="Un paiement par carte porte sur un montant positif.",
            ),
            models.CheckConstraint(
                condition=Q(state__in=CheckoutState.values),
                name="billing_checkout_state_valid",
                violation_error_message="État de paiement par carte inconnu.",
            ),
            models.CheckConstraint(
                condition=~Q(state=CheckoutState.PAID) | Q(payment__isnull=False),
                name="billing_checkout_paid_has_payment",
                violation_error_message="Un paiement par carte payé a son paiement enregistré.",
            ),
        ]

    def __str__(self):
        return f"Paiement par carte de {self.amount} € ({self.get_state_display()})"
