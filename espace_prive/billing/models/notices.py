"""What was sent to a family about an issued invoice: the notice of its issue (by e-mail
to a paperless family, otherwise on paper: printed by staff), the reminder before the
due date and the dunning notice after it. One of each kind per invoice, at most: the
unique constraint makes a second sending impossible, whatever runs twice."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class NoticeKind(models.TextChoices):
    ISSUED = "emission", "Avis de facture"
    REMINDER = "rappel", "Rappel avant l'échéance"
    DUNNING = "relance", "Relance après l'échéance"


class NoticeChannel(models.TextChoices):
    EMAIL = "email", "E-mail"
    PAPER = "papier", "Courrier (facture papier à imprimer)"
    NONE = "aucun", "Aucune adresse e-mail"


class InvoiceNotice(models.Model):
    Kind = NoticeKind
    Channel = NoticeChannel

    invoice = models.ForeignKey("billing.Invoice", on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("type", max_length=20, choices=NoticeKind.choices)
    channel = models.CharField("envoi", max_length=20, choices=NoticeChannel.choices)
    recipients = models.PositiveSmallIntegerField("destinataires", default=0)
    created_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "envoi au sujet d'une facture"
        verbose_name_plural = "envois au sujet des factures"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "kind"],
                name="billing_notice_once_per_kind",
                violation_error_message="Cet envoi a déjà été fait pour cette facture.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values) & Q(channel__in=NoticeChannel.values),
                name="billing_notice_kind_channel_valid",
                violation_error_message="Type ou mode d'envoi inconnu.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — facture {self.invoice_id}"
