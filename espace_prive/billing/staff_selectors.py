"""Reads of the staff side of the billing (lists named with their prefetches, so that a
page costs the same queries for one row as for many)."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from .models import (
    Allocation,
    BillingAuditEntry,
    BillingRun,
    CardCheckout,
    CheckoutState,
    CreditNote,
    Invoice,
    InvoiceState,
    Payment,
    StripeEvent,
)

MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)


def _sum_of(model, field="amount"):
    rows = (
        model.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), ZERO)


def invoices_with_remaining(queryset=None):
    """Invoices annotated with ``credited``, ``paid`` and ``remaining`` (in SQL)."""
    queryset = Invoice.objects.all() if queryset is None else queryset
    return queryset.annotate(credited=_sum_of(CreditNote), paid=_sum_of(Allocation)).annotate(
        remaining=ExpressionWrapper(F("total") - F("credited") - F("paid"), output_field=MONEY)
    )


def runs_for_staff():
    return (
        BillingRun.objects.select_related("regie", "created_by")
        .prefetch_related("services")
        .annotate(
            invoices_count=Count("invoices", distinct=True),
            blocking_count=Count("anomalies", filter=Q(anomalies__blocking=True), distinct=True),
        )
        # Meta.ordering is not applied to aggregated queries: pagination needs it said.
        .order_by("-month", "-id")
    )


def run_drafts(run):
    """The run's invoices (drafts or issued) with their line and change counts."""
    return (
        run.invoices.select_related("family")
        .annotate(lines_count=Count("lines"))
        .order_by("payer_name", "pk")
    )


def run_totals(run):
    return run.invoices.aggregate(
        count=Count("pk"),
        total=Coalesce(Sum("total"), ZERO),
        issued=Count("pk", filter=Q(state=InvoiceState.ISSUED)),
    )


def invoices_for_staff(*, run=None, state="", family="", unpaid=False, regie=None):
    queryset = invoices_with_remaining(
        Invoice.objects.select_related("family", "regie", "run")
    ).order_by("-month", "payer_name", "pk")
    if run is not None:
        queryset = queryset.filter(run=run)
    if regie is not None:
        queryset = queryset.filter(regie=regie)
    if state:
        queryset = queryset.filter(state=state)
    if family:
        queryset = queryset.filter(
            Q(family__reference__iexact=family)
            | Q(payer_name__icontains=family)
            | Q(number__iexact=family)
        )
    if unpaid:
        queryset = queryset.filter(state=InvoiceState.ISSUED, remaining__gt=0)
    return queryset


def invoice_for_staff(public_id):
    """One invoice with everything its page shows (raises Invoice.DoesNotExist)."""
    return (
        invoices_with_remaining(Invoice.objects.select_related("family", "regie", "run"))
        .prefetch_related("lines", "credit_notes__issued_by", "allocations__payment")
        .get(public_id=public_id)
    )


def payments_for_staff(*, family="", method="", regie=None, since=None, until=None):
    queryset = Payment.objects.select_related("family", "regie", "recorded_by").order_by(
        "-received_on", "-pk"
    )
    if family:
        queryset = queryset.filter(
            Q(family__reference__iexact=family) | Q(reference__icontains=family)
        )
    if method:
        queryset = queryset.filter(method=method)
    if regie is not None:
        queryset = queryset.filter(regie=regie)
    if since:
        queryset = queryset.filter(received_on__gte=since)
    if until:
        queryset = queryset.filter(received_on__lte=until)
    return queryset


def payment_for_staff(public_id):
    return (
        Payment.objects.select_related("family", "regie", "recorded_by")
        .prefetch_related("allocations__invoice")
        .get(public_id=public_id)
    )


def cash_journal(*, regie, day):
    """The day's takings of ``regie``: payments received that day, and the totals per
    method (refunds counted in, negative)."""
    payments = list(
        payments_for_staff(regie=regie, since=day, until=day)
        .prefetch_related("allocations__invoice")
        .order_by("method", "pk")
    )
    totals = {}
    for payment in payments:
        label = payment.get_method_display()
        count, amount = totals.get(label, (0, Decimal("0.00")))
        totals[label] = (count + 1, amount + payment.amount)
    return payments, totals


def checkouts_to_review():
    return (
        CardCheckout.objects.filter(state=CheckoutState.REVIEW)
        .select_related("family", "regie")
        .order_by("-created_at")
    )


def stripe_events_to_review():
    return StripeEvent.objects.filter(needs_review=True).select_related("regie")


def journal_entries():
    return BillingAuditEntry.objects.select_related(
        "actor", "regie", "family", "invoice", "payment", "credit_note", "run"
    )
