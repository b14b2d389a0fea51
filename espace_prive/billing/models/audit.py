"""The billing journal: every billing act (run drafted or issued, credit note, payment,
refund, reconciliation) with who did it, from where and when.

Kept apart from the security journal (``accounts.AuditEvent``, purged after
``AUDIT_RETENTION_DAYS``): these rows back accounting documents and are kept as long
as they are (a PostgreSQL trigger of migration 0004 refuses UPDATE and DELETE). Its
references carry no foreign-key constraint: a journal row never stops the deletion a
document's own rules allow (a draft), nor blocks an erasure.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class BillingAction(models.TextChoices):
    RUN_CREATED = "facturation_creee", "Facturation créée"
    RUN_DRAFT_REQUESTED = "brouillon_demande", "Calcul du brouillon lancé"
    RUN_DRAFTED = "brouillon_calcule", "Brouillon calculé"
    RUN_ISSUE_REQUESTED = "emission_demandee", "Émission lancée"
    RUN_ISSUED = "facturation_emise", "Facturation émise"
    CREDIT_NOTE = "avoir", "Avoir émis"
    PAYMENT = "paiement", "Paiement enregistré"
    REFUND = "remboursement", "Remboursement enregistré"
    RECONCILED = "rapprochement", "Paiement par carte rapproché"
    SEPA_BATCH_CREATED = "prelevements_prepares", "Lot de prélèvements préparé"
    SEPA_BATCH_CANCELLED = "prelevements_abandonnes", "Lot de prélèvements abandonné"
    SEPA_EXPORTED = "prelevements_exportes", "Fichier de prélèvements téléchargé"
    SEPA_SETTLED = "prelevements_regles", "Lot de prélèvements réglé"
    SEPA_REJECTED = "prelevement_rejete", "Prélèvement rejeté"
    TAX_CERTIFICATES = "attestations_fiscales", "Attestations fiscales émises"


class BillingAuditEntry(models.Model):
    Action = BillingAction

    created_at = models.DateTimeField("date", default=timezone.now, db_index=True)
    action = models.CharField("acte", max_length=30, choices=BillingAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    regie = models.ForeignKey(
        "billing.Regie",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="régie",
    )
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="famille",
    )
    run = models.ForeignKey(
        "billing.BillingRun",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    invoice = models.ForeignKey(
        "billing.Invoice",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    credit_note = models.ForeignKey(
        "billing.CreditNote",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    payment = models.ForeignKey(
        "billing.Payment",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    debit_batch = models.ForeignKey(
        "billing.DebitBatch",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lot de prélèvements",
    )
    amount = models.DecimalField("montant", max_digits=12, decimal_places=2, null=True)
    summary = models.CharField("résumé", max_length=255)

    class Meta:
        verbose_name = "acte de facturation"
        verbose_name_plural = "journal de la facturation"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=BillingAction.values),
                name="billing_audit_action_valid",
                violation_error_message="Acte de facturation inconnu.",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} — {self.summary}"
