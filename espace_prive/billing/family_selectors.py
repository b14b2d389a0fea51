"""What a family reads of its billing: its own issued invoices (never a draft), credit
notes, payments, its relevé de compte with the running balance, what it owes.

Everything starts from the family: another family's invoice is simply not found (404).
Each read costs a fixed number of queries, whatever the number of documents.
"""

import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from .models import Allocation, CreditNote, Invoice, InvoiceState, Payment
from .services.balances import StatementEntry
from .services.card import StripeProvider
from .staff_selectors import invoices_with_remaining

ZERO = Decimal("0.00")


def issued_invoices(family):
    """The family's issued invoices, newest first, with ``credited``, ``paid`` and
    ``remaining`` computed in SQL."""
    return invoices_with_remaining(
        Invoice.objects.filter(family=family, state=InvoiceState.ISSUED).select_related("regie")
    ).order_by("-issued_at", "-sequence")


def unpaid_invoices(family):
    """Issued invoices with something still due, the oldest due date first."""
    return [
        invoice
        for invoice in issued_invoices(family).order_by("due_date", "issued_at", "sequence")
        if invoice.remaining > 0
    ]


def invoice_for_family(family, public_id):
    """One issued invoice of the family, with its lines, credit notes and payments;
    a draft or another family's invoice is a 404."""
    queryset = issued_invoices(family).prefetch_related(
        "lines",
        Prefetch("credit_notes", queryset=CreditNote.objects.order_by("issued_at", "pk")),
        Prefetch(
            "allocations",
            queryset=Allocation.objects.select_related("payment").order_by(
                "payment__received_on", "pk"
            ),
        ),
    )
    try:
        return queryset.get(public_id=public_id)
    except (Invoice.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Facture introuvable.") from error


def credit_notes(family):
    return (
        CreditNote.objects.filter(family=family)
        .select_related("invoice", "regie")
        .order_by("-issued_at", "-pk")
    )


def payments(family):
    return (
        Payment.objects.filter(family=family)
        .select_related("regie")
        .order_by("-received_on", "-recorded_at", "-pk")
    )


@dataclass
class Account:
    """The family's account at one régie: its statement and balance."""

    regie: object
    entries: list = field(default_factory=list)
    balance: Decimal = ZERO
    card_payment: bool = False

    @property
    def due(self):
        return max(self.balance, ZERO)

    @property
    def credit(self):
        return max(-self.balance, ZERO)


def _rows(family):
    for invoice in Invoice.objects.filter(family=family, state=InvoiceState.ISSUED).select_related(
        "regie"
    ):
        yield (
            invoice.regie,
            timezone.localtime(invoice.issued_at).date(),
            invoice.issued_at,
            "facture",
            f"Facture {invoice.number} ({invoice.month:%m/%Y})",
            invoice.total,
            ZERO,
            invoice,
        )
    for note in credit_notes(family):
        yield (
            note.regie,
            timezone.localtime(note.issued_at).date(),
            note.issued_at,
            "avoir",
            f"Avoir {note.number} sur la facture {note.invoice.number}",
            ZERO,
            note.amount,
            note,
        )
    for payment in payments(family):
        if payment.is_refund:
            label, debit, credit = "Remboursement", -payment.amount, ZERO
        else:
            label = f"Paiement ({payment.get_method_display()})"
            debit, credit = ZERO, payment.amount
        yield (
            payment.regie,
            payment.received_on,
            payment.recorded_at,
            "paiement",
            label,
            debit,
            credit,
            payment,
        )


def accounts(family, *, with_card=True):
    """The family's relevé de compte, one ``Account`` per régie (by name): invoices,
    credit notes and payments in date order with the running balance (3 queries)."""
    rows = sorted(_rows(family), key=lambda row: (row[0].name, row[0].pk, row[1], row[2], row[3]))
    result = []
    for _key, group in itertools.groupby(rows, key=lambda row: row[0].pk):
        group = list(group)
        account = Account(regie=group[0][0])
        for _regie, day, _at, kind, label, debit, credit, document in group:
            account.balance += debit - credit
            account.entries.append(
                StatementEntry(day, kind, label, debit, credit, account.balance, document)
            )
        if with_card:
            account.card_payment = StripeProvider(account.regie).available
        result.append(account)
    return result


def total_due(family):
    """What the family owes, all régies together (credit at one régie is not counted
    against what is due at another)."""
    return sum((account.due for account in accounts(family, with_card=False)), ZERO)


def account_for_regie(family, regie):
    return next((a for a in accounts(family) if a.regie.pk == regie.pk), None)


def lines_by_child_and_service(invoice):
    """The invoice's lines grouped ``[(child name, service name, lines, subtotal)]``."""
    lines = sorted(
        invoice.lines.all(), key=lambda line: (line.child_name, line.service_name, line.day)
    )
    groups = []
    for (child, service), group in itertools.groupby(
        lines, key=lambda line: (line.child_name, line.service_name)
    ):
        group = list(group)
        groups.append((child, service, group, sum((line.amount for line in group), ZERO)))
    return groups


def card_payment_available(regie):
    return StripeProvider(regie).available
