"""Billing runs, invoices (drafts, then issued immutable snapshots), their lines, the
(family, month, service) each issued invoice covers, and credit notes.

Once issued, an invoice and its lines cannot be changed nor deleted: a PostgreSQL
trigger (migration 0002) refuses it, whatever the code does. A correction is a credit
note, itself immutable.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from espace_prive.constraints import FieldConstraintsMixin
from espace_prive.families.models import private_storage

MONEY = {"max_digits": 10, "decimal_places": 2}


class BillingRunState(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    ISSUED = "emise", "Émise"


class RunJob(models.TextChoices):
    """The background task a run is in (none, drafting, issuing)."""

    NONE = "", "Aucune"
    DRAFT = "brouillon", "Calcul du brouillon"
    ISSUE = "emission", "Émission des factures"


class BillingRun(FieldConstraintsMixin, models.Model):
    """One month of a régie's services: drafted (again and again), then issued."""

    State = BillingRunState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    regie = models.ForeignKey(
        "billing.Regie", on_delete=models.PROTECT, related_name="runs", verbose_name="régie"
    )
    month = models.DateField("mois", help_text="Le premier jour du mois facturé.")
    services = models.ManyToManyField(
        "catalogue.Service", related_name="+", verbose_name="services"
    )
    state = models.CharField(
        "état", max_length=20, choices=BillingRunState.choices, default=BillingRunState.DRAFT
    )
    drafted_at = models.DateTimeField("brouillon calculé le", null=True, blank=True)
    draft_count = models.PositiveIntegerField("nombre de calculs", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    issued_at = models.DateTimeField("émise le", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The background task in progress: what it does, since when, the last family it
    # finished (a task enqueued again goes on after it), why it stopped if it failed.
    job = models.CharField(
        "tâche en cours", max_length=20, choices=RunJob.choices, default="", blank=True
    )
    job_started_at = models.DateTimeField("tâche lancée le", null=True, blank=True)
    job_cursor = models.PositiveBigIntegerField("dernière famille traitée", default=0)
    job_done = models.PositiveIntegerField("familles traitées", default=0)
    job_error = models.CharField("erreur de la tâche", max_length=255, blank=True)

    constraint_fields = {"billing_run_month_first_day": "month"}

    class Meta:
        verbose_name = "facturation mensuelle"
        verbose_name_plural = "facturations mensuelles"
        ordering = ["-month", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=BillingRunState.values),
                name="billing_run_state_valid",
                violation_error_message="État de facturation inconnu.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="billing_run_month_first_day",
                violation_error_message="Le mois facturé commence le premier du mois.",
            ),
            models.CheckConstraint(
                condition=(Q(state=BillingRunState.DRAFT) & Q(issued_at__isnull=True))
                | (Q(state=BillingRunState.ISSUED) & Q(issued_at__isnull=False)),
                name="billing_run_issue_consistent",
                violation_error_message="Une facturation émise indique quand elle l'a été.",
            ),
            models.CheckConstraint(
                condition=Q(job__in=RunJob.values) & (Q(job="") | Q(job_started_at__isnull=False)),
                name="billing_run_job_valid",
                violation_error_message="Tâche de facturation inconnue.",
            ),
        ]

    def __str__(self):
        return f"{self.regie} — {self.month:%m/%Y}"


class AnomalyKind(models.TextChoices):
    NO_QF = "sans_qf", "Pas de quotient familial valide (tarif sans QF appliqué)"
    NO_GRID = "sans_grille", "Aucune grille tarifaire pour ce jour"
    NOT_ENROLLED = "non_inscrit", "Enfant non inscrit (inscription non acceptée)"
    OPEN_REGISTER = "registre_non_clos", "Registre de présence non clos"


class BillingAnomaly(models.Model):
    """What staff should look at before issuing: found by the last draft of a run."""

    Kind = AnomalyKind

    run = models.ForeignKey(BillingRun, on_delete=models.CASCADE, related_name="anomalies")
    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="+")
    child = models.ForeignKey(
        "families.Child", on_delete=models.CASCADE, null=True, related_name="+"
    )
    service = models.ForeignKey("catalogue.Service", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("jour", null=True)
    kind = models.CharField("type", max_length=20, choices=AnomalyKind.choices)
    blocking = models.BooleanField("bloquante", default=False)
    message = models.CharField("message", max_length=255)

    class Meta:
        verbose_name = "anomalie de facturation"
        verbose_name_plural = "anomalies de facturation"
        ordering = ["family_id", "day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AnomalyKind.values),
                name="billing_anomaly_kind_valid",
                violation_error_message="Type d'anomalie inconnu.",
            ),
        ]

    def __str__(self):
        return self.message


class InvoiceState(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    ISSUED = "emise", "Émise"


class Invoice(FieldConstraintsMixin, models.Model):
    """One family's invoice for one month of a régie; a snapshot once issued."""

    State = InvoiceState

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    regie = models.ForeignKey(
        "billing.Regie", on_delete=models.PROTECT, related_name="invoices", verbose_name="régie"
    )
    run = models.ForeignKey(
        BillingRun,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name="facturation",
    )
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="invoices")
    state = models.CharField(
        "état", max_length=20, choices=InvoiceState.choices, default=InvoiceState.DRAFT
    )
    year = models.PositiveSmallIntegerField("année de numérotation", null=True, blank=True)
    sequence = models.PositiveIntegerField("rang", null=True, blank=True)
    number = models.CharField("numéro", max_length=20, null=True, blank=True)
    month = models.DateField("mois facturé")
    period_start = models.DateField("du")
    period_end = models.DateField("au")
    payer_name = models.CharField("payeur", max_length=255)
    payer_address = models.TextField("adresse du payeur", blank=True)
    previous_balance = models.DecimalField("solde antérieur", default=0, **MONEY)
    total = models.DecimalField("total du mois", default=0, **MONEY)
    due_date = models.DateField("à payer avant le", null=True, blank=True)
    changes = models.JSONField("écarts avec le brouillon précédent", default=list, blank=True)
    created_at = models.DateTimeField("calculée le", default=timezone.now)
    issued_at = models.DateTimeField("émise le", null=True, blank=True)
    # The PDF, made once after the issue (in the background, or at the first download)
    # and kept in the private storage; the trigger lets it be set once, never changed.
    pdf = models.FileField(
        "PDF",
        storage=private_storage,
        upload_to="factures/",
        max_length=255,
        blank=True,
        editable=False,
    )

    class Meta:
        verbose_name = "facture"
        verbose_name_plural = "factures"
        ordering = ["-month", "-id"]
        indexes = [models.Index(fields=["family", "state"], name="billing_invoice_family_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=InvoiceState.values),
                name="billing_invoice_state_valid",
                violation_error_message="État de facture inconnu.",
            ),
            models.UniqueConstraint(
                fields=["regie", "number"],
                name="billing_invoice_number_unique",
                violation_error_message="Ce numéro de facture existe déjà pour cette régie.",
            ),
            models.UniqueConstraint(
                fields=["regie", "year", "sequence"],
                name="billing_invoice_sequence_unique",
                violation_error_message="Ce rang de facture existe déjà pour cette régie.",
            ),
            models.UniqueConstraint(
                fields=["run", "family"],
                name="billing_invoice_one_per_run_family",
                violation_error_message="Cette famille a déjà une facture dans ce lot.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=InvoiceState.DRAFT)
                    & Q(number__isnull=True)
                    & Q(sequence__isnull=True)
                    & Q(issued_at__isnull=True)
                )
                | (
                    Q(state=InvoiceState.ISSUED)
                    & Q(number__isnull=False)
                    & Q(year__isnull=False)
                    & Q(sequence__gte=1)
                    & Q(issued_at__isnull=False)
                    & Q(due_date__isnull=False)
                ),
                name="billing_invoice_issue_consistent",
                violation_error_message=(
                    "Une facture émise a un numéro, une date d'émission et une échéance ; "
                    "un brouillon, aucun numéro."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")) & Q(month__day=1),
                name="billing_invoice_period_valid",
                violation_error_message="La période facturée est incohérente.",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0),
                name="billing_invoice_total_not_negative",
                violation_error_message="Le total d'une facture ne peut pas être négatif.",
            ),
        ]

    def __str__(self):
        return f"Facture {self.number or f'provisoire {self.pk}'}"

    @property
    def is_issued(self):
        return self.state == InvoiceState.ISSUED

    @property
    def display_number(self):
        return self.number or f"PROVISOIRE-{self.pk}"


class LineReason(models.TextChoices):
    BOOKED = "reserve", "Réservé"
    PRESENT = "present", "Présent"
    UNJUSTIFIED_ABSENCE = "absence_non_justifiee", "Absence non justifiée"
    LATE_CANCELLATION = "annulation_tardive", "Annulation tardive"
    UNBOOKED_PRESENCE = "presence_sans_reservation", "Présence sans réservation"


class InvoiceLine(models.Model):
    """One billed unit on one day, with why it costs what it costs (frozen at issue)."""

    Reason = LineReason

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    day = models.DateField("jour")
    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="+")
    child_name = models.CharField("enfant", max_length=255)
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    service_name = models.CharField("service", max_length=150)
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The attendance mark that decided the line (« présent », an unbooked presence…).
    mark = models.ForeignKey(
        "attendance.Mark",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="pointage",
    )
    unit_label = models.CharField("unité", max_length=100)
    quantity = models.DecimalField("quantité", max_digits=7, decimal_places=2)
    unit_price = models.DecimalField("prix unitaire", max_digits=10, decimal_places=4)
    rate = models.DecimalField("taux (%)", max_digits=5, decimal_places=2, default=100)
    amount = models.DecimalField("montant", **MONEY)
    pricing_label = models.CharField("tarif appliqué", max_length=255)
    reason = models.CharField("motif", max_length=30, choices=LineReason.choices)

    class Meta:
        verbose_name = "ligne de facture"
        verbose_name_plural = "lignes de facture"
        ordering = ["child_name", "service_name", "day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=LineReason.values),
                name="billing_line_reason_valid",
                violation_error_message="Motif de ligne inconnu.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0) & Q(unit_price__gte=0) & Q(amount__gte=0),
                name="billing_line_amounts_valid",
                violation_error_message="Une ligne a une quantité positive et un montant positif.",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=500),
                name="billing_line_rate_range",
                violation_error_message="Un taux de facturation va de 0 à 500 %.",
            ),
        ]

    def __str__(self):
        return f"{self.child_name} — {self.service_name} le {self.day:%d/%m/%Y}"


class ActiveCoverage(models.Manager):
    """What issued invoices cover still: a coverage released by a full credit note is
    left out, so that the month can be billed again (every reader of the coverage, the
    run's lines included, goes through this default manager)."""

    def get_queryset(self):
        return super().get_queryset().filter(released_by__isnull=True)


class InvoiceService(models.Model):
    """What an issued invoice covers: never two invoices for a family, month, service.

    A full credit note (the invoice cancelled, nothing left of it) releases the
    coverage (``released_by``), and only then may a later run bill that family, month
    and service again. A partial credit note releases nothing: the days stay billed
    by the first invoice, corrected by the note, and a second invoice is refused by
    the unique constraint on the coverage still active. The only change the database
    allows on a row (trigger of migration 0012) is setting ``released_by`` once.
    """

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="coverage")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("mois")
    service = models.ForeignKey("catalogue.Service", on_delete=models.PROTECT, related_name="+")
    released_by = models.ForeignKey(
        "billing.CreditNote",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="released_coverage",
        verbose_name="libéré par l'avoir",
    )

    with_released = models.Manager()
    objects = ActiveCoverage()

    class Meta:
        verbose_name = "service facturé sur une facture"
        verbose_name_plural = "services facturés sur les factures"
        default_manager_name = "objects"
        base_manager_name = "with_released"
        constraints = [
            models.UniqueConstraint(
                fields=["family", "month", "service"],
                condition=Q(released_by__isnull=True),
                name="billing_one_invoice_per_family_month_service",
                violation_error_message=(
                    "Ce service est déjà facturé à cette famille pour ce mois."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.service_id} {self.month:%m/%Y} — facture {self.invoice_id}"


class CreditNote(FieldConstraintsMixin, models.Model):
    """An avoir: a numbered document crediting part or all of an issued invoice."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    regie = models.ForeignKey(
        "billing.Regie", on_delete=models.PROTECT, related_name="credit_notes"
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="credit_notes"
    )
    year = models.PositiveSmallIntegerField("année de numérotation")
    sequence = models.PositiveIntegerField("rang")
    number = models.CharField("numéro", max_length=20)
    amount = models.DecimalField("montant", **MONEY)
    reason = models.CharField("motif", max_length=255)
    issued_at = models.DateTimeField("émis le", default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    constraint_fields = {"billing_credit_amount_positive": "amount"}

    class Meta:
        verbose_name = "avoir"
        verbose_name_plural = "avoirs"
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regie", "number"],
                name="billing_credit_number_unique",
                violation_error_message="Ce numéro d'avoir existe déjà pour cette régie.",
            ),
            models.UniqueConstraint(
                fields=["regie", "year", "sequence"],
                name="billing_credit_sequence_unique",
                violation_error_message="Ce rang d'avoir existe déjà pour cette régie.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="billing_credit_amount_positive",
                violation_error_message="Le montant d'un avoir doit être positif.",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="billing_credit_reason_required",
                violation_error_message="Un avoir doit être motivé.",
            ),
        ]

    def __str__(self):
        return f"Avoir {self.number}"
