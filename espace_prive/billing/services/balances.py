"""What a family owes a régie, and its relevé de compte (statement)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from ..models import Allocation, CreditNote, Invoice, InvoiceState, Payment

ZERO = Decimal("0.00")


def _sum(queryset, field="amount"):
    return queryset.aggregate(total=Sum(field))["total"] or ZERO


def family_balance(*, regie, family):
    """Issued invoices minus credit notes minus payments (refunds count back)."""
    invoiced = _sum(
        Invoice.objects.filter(regie=regie, family=family, state=InvoiceState.ISSUED), "total"
    )
    credited = _sum(CreditNote.objects.filter(regie=regie, family=family))
    paid = _sum(Payment.objects.filter(regie=regie, family=family))
    return invoiced - credited - paid


def family_balances(*, regie, family_ids):
    """``family_balance`` of many families at once: {family id: balance}, in three
    grouped queries (what a billing run's batch reads as previous balances)."""
    family_ids = list(family_ids)
    balances = dict.fromkeys(family_ids, ZERO)

    def add(queryset, field, sign):
        rows = (
            queryset.filter(regie=regie, family_id__in=family_ids)
            .order_by()
            .values("family_id")
            .annotate(total=Sum(field))
            .values_list("family_id", "total")
        )
        for family_id, total in rows:
            balances[family_id] += sign * (total or ZERO)

    add(Invoice.objects.filter(state=InvoiceState.ISSUED), "total", 1)
    add(CreditNote.objects.all(), "amount", -1)
    add(Payment.objects.all(), "amount", -1)
    return balances


def invoice_remaining(invoice):
    """What is still due on one issued invoice (after its credit notes and payments)."""
    credited = _sum(CreditNote.objects.filter(invoice=invoice))
    paid = _sum(Allocation.objects.filter(invoice=invoice))
    return invoice.total - credited - paid


@dataclass(frozen=True)
class StatementEntry:
    date: object
    kind: str
    label: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    document: object


def family_statement(*, regie, family):
    """Invoices, credit notes and payments in date order with the running balance."""
    rows = []
    for invoice in Invoice.objects.filter(regie=regie, family=family, state=InvoiceState.ISSUED):
        rows.append(
            (
                timezone.localtime(invoice.issued_at).date(),
                invoice.issued_at,
                "facture",
                f"Facture {invoice.number} ({invoice.month:%m/%Y})",
                invoice.total,
                ZERO,
                invoice,
            )
        )
    for note in CreditNote.objects.filter(regie=regie, family=family).select_related("invoice"):
        rows.append(
            (
                timezone.localtime(note.issued_at).date(),
                note.issued_at,
                "avoir",
                f"Avoir {note.number} sur la facture {note.invoice.number}",
                ZERO,
                note.amount,
                note,
            )
        )
    for payment in Payment.objects.filter(regie=regie, family=family):
        if payment.reverses_id:
            label = f"Annulation d'un paiement ({payment.get_method_display()} rejeté)"
        elif payment.is_refund:
            label = "Remboursement"
        else:
            label = f"Paiement ({payment.get_method_display()})"
        debit, credit = (-payment.amount, ZERO) if payment.is_refund else (ZERO, payment.amount)
        rows.append(
            (payment.received_on, payment.recorded_at, "paiement", label, debit, credit, payment)
        )
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    balance = ZERO
    entries = []
    for day, _at, kind, label, debit, credit, document in rows:
        balance += debit - credit
        entries.append(StatementEntry(day, kind, label, debit, credit, balance, document))
    return entries
