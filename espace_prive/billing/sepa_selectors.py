"""Reads of the SEPA direct debit: the invoices a batch may collect, the batches and
their debits for the staff pages (fixed number of queries whatever the rows)."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from .models import Debit, DebitBatch, DebitState, Invoice, InvoiceState
from .staff_selectors import invoices_with_remaining


def live_debits():
    """Debits that were not rejected: their invoice is collected, or about to be."""
    return Debit.objects.exclude(state=DebitState.REJECTED)


def debit_candidates(*, regie):
    """Issued invoices of ``regie`` still due, of families with a signed mandate and an
    account, that no live debit collects yet (oldest first), with ``remaining``."""
    queryset = (
        Invoice.objects.filter(regie=regie, state=InvoiceState.ISSUED)
        .exclude(family__sepa_mandate_reference="")
        .filter(family__sepa_mandate_signed_on__isnull=False)
        .exclude(family__iban="")
        .exclude(Exists(live_debits().filter(invoice=OuterRef("pk"))))
        .select_related("family")
    )
    return (
        invoices_with_remaining(queryset)
        .filter(remaining__gt=0)
        .order_by("due_date", "issued_at", "sequence")
    )


def batches_for_staff():
    return (
        DebitBatch.objects.select_related("regie", "created_by")
        .annotate(
            debits_count=Count("debits"),
            total=Sum("debits__amount"),
            rejected_count=Count("debits", filter=Q(debits__state=DebitState.REJECTED)),
        )
        .order_by("-collection_date", "-id")
    )


def batch_debits(batch):
    return batch.debits.select_related("invoice", "family", "payment", "reversal").order_by(
        "debtor_name", "id"
    )
