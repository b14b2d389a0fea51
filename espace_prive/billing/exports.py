"""CSV files for the town's accounting and the régie's cash journal.

French conventions, as accounting software here reads them: « ; » between fields, a
decimal comma, dates as JJ/MM/AAAA, UTF-8 with a BOM (Excel opens it right). A text
field that a spreadsheet would read as a formula (=, +, -, @) is prefixed with « ' ».
Each function writes to a file-like ``out`` and reads in chunks (any number of rows).
"""

import csv
import datetime

from django.utils import timezone

from . import staff_selectors
from .models import CreditNote, Invoice, InvoiceState, Payment

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value):
    value = "" if value is None else str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _money(value):
    return f"{value:.2f}".replace(".", ",")


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _writer(out):
    out.write("\ufeff")
    return csv.writer(out, delimiter=";", lineterminator="\r\n")


def _day_bounds(since, until):
    """Aware datetimes of the first instant of ``since`` and of the day after ``until``."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, zone)
    return start, end


INVOICE_HEADER = [
    "Numéro",
    "Émise le",
    "Mois facturé",
    "Régie",
    "Famille",
    "Payeur",
    "Total",
    "Solde antérieur",
    "Avoirs",
    "Payé",
    "Reste dû",
    "Échéance",
]


def invoices_csv(out, *, since, until, regie=None):
    """Invoices issued from ``since`` to ``until`` (days, Europe/Paris)."""
    start, end = _day_bounds(since, until)
    invoices = staff_selectors.invoices_with_remaining(
        Invoice.objects.filter(
            state=InvoiceState.ISSUED, issued_at__gte=start, issued_at__lt=end
        ).select_related("regie", "family")
    ).order_by("regie_id", "year", "sequence")
    if regie is not None:
        invoices = invoices.filter(regie=regie)
    writer = _writer(out)
    writer.writerow(INVOICE_HEADER)
    count = 0
    for invoice in invoices.iterator(chunk_size=1000):
        writer.writerow(
            [
                invoice.number,
                _date(timezone.localtime(invoice.issued_at).date()),
                invoice.month.strftime("%m/%Y"),
                _text(invoice.regie.name),
                _text(invoice.family.reference),
                _text(invoice.payer_name),
                _money(invoice.total),
                _money(invoice.previous_balance),
                _money(invoice.credited),
                _money(invoice.paid),
                _money(invoice.remaining),
                _date(invoice.due_date),
            ]
        )
        count += 1
    return count


PAYMENT_HEADER = [
    "Reçu le",
    "Régie",
    "Famille",
    "Moyen",
    "Référence",
    "Montant",
    "Remboursement",
    "Factures réglées",
    "Enregistré par",
]


def _payment_row(payment):
    paid = ", ".join(f"{a.invoice.number} ({_money(a.amount)})" for a in payment.allocations.all())
    return [
        _date(payment.received_on),
        _text(payment.regie.name),
        _text(payment.family.reference),
        payment.get_method_display(),
        _text(payment.reference),
        _money(payment.amount),
        "oui" if payment.is_refund else "non",
        paid,
        _text(payment.recorded_by.email if payment.recorded_by else "en ligne"),
    ]


def payments_csv(out, *, since, until, regie=None):
    """Payments and refunds received from ``since`` to ``until``."""
    payments = (
        Payment.objects.filter(received_on__gte=since, received_on__lte=until)
        .select_related("regie", "family", "recorded_by")
        .prefetch_related("allocations__invoice")
        .order_by("received_on", "pk")
    )
    if regie is not None:
        payments = payments.filter(regie=regie)
    writer = _writer(out)
    writer.writerow(PAYMENT_HEADER)
    count = 0
    for payment in payments.iterator(chunk_size=1000):
        writer.writerow(_payment_row(payment))
        count += 1
    return count


CREDIT_NOTE_HEADER = [
    "Numéro",
    "Émis le",
    "Régie",
    "Famille",
    "Facture corrigée",
    "Montant",
    "Motif",
]


def credit_notes_csv(out, *, since, until, regie=None):
    """Credit notes (avoirs) issued from ``since`` to ``until`` (days, Europe/Paris):
    numbered documents of their own for the accounting, apart from the invoices."""
    start, end = _day_bounds(since, until)
    notes = (
        CreditNote.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .select_related("regie", "family", "invoice")
        .order_by("regie_id", "year", "sequence")
    )
    if regie is not None:
        notes = notes.filter(regie=regie)
    writer = _writer(out)
    writer.writerow(CREDIT_NOTE_HEADER)
    count = 0
    for note in notes.iterator(chunk_size=1000):
        writer.writerow(
            [
                note.number,
                _date(timezone.localtime(note.issued_at).date()),
                _text(note.regie.name),
                _text(note.family.reference),
                note.invoice.number,
                _money(note.amount),
                _text(note.reason),
            ]
        )
        count += 1
    return count


def cash_journal_csv(out, *, regie, day):
    """The journal de caisse of one day: every payment, then the total per method."""
    payments, totals = staff_selectors.cash_journal(regie=regie, day=day)
    writer = _writer(out)
    writer.writerow([f"Journal de caisse — {regie.name} — {_date(day)}"])
    writer.writerow(PAYMENT_HEADER)
    for payment in payments:
        writer.writerow(_payment_row(payment))
    writer.writerow([])
    writer.writerow(["Moyen", "Nombre", "Total"])
    for label, (count, amount) in totals.items():
        writer.writerow([label, count, _money(amount)])
    grand = sum((amount for _count, amount in totals.values()), 0)
    writer.writerow(["Total de la journée", len(payments), _money(grand)])
    return len(payments)
