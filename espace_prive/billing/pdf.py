"""The invoice PDF (WeasyPrint): the town's header, the payer, the month, the lines grouped
by child and service with their unit price and why this price (tariff, QF band), the
previous balance, the payments received since the last invoice, the total due, the due
date and how to pay.

Made once per issued invoice and kept in the private storage (``Invoice.pdf``): by the
background task that follows a run's issue (``tasks.invoice_documents``), or at the first
download when that task has not reached it yet. Issuing stays fast: no PDF is made there.
Templates: ``templates/billing/pdf/``; nothing is fetched from the network.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils import timezone

from espace_prive.notifications import absolute_url
from espace_prive.town import town_name

from .models import CreditNote, Invoice, InvoiceState, Payment, PaymentMethod

ZERO = Decimal("0.00")
# The ways to pay at the régie's desk, named on the invoice.
DESK_METHODS = (
    PaymentMethod.CHEQUE,
    PaymentMethod.CASH,
    PaymentMethod.CESU,
    PaymentMethod.ANCV,
    PaymentMethod.TRANSFER,
)


def render_pdf(template_name, context):
    """PDF bytes of a template (data URIs only: never the network, never the disk)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        template_name,
        {"town_name": town_name(), "now": timezone.localtime(), **context},
    )
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


@dataclass
class PricedGroup:
    """Lines of one child, service, unit, reason and price: one row of the PDF."""

    unit_label: str
    reason: str
    pricing_label: str
    unit_price: Decimal
    rate: Decimal
    quantity: Decimal = ZERO
    amount: Decimal = ZERO
    days: list = field(default_factory=list)


def line_groups(lines):
    """``[(child, [(service, [PricedGroup, …], subtotal), …], child total), …]`` in the
    order of the lines (child, service, day); amounts are sums of rounded lines."""
    children = OrderedDict()
    for line in lines:
        services = children.setdefault(line.child_name, OrderedDict())
        groups = services.setdefault(line.service_name, OrderedDict())
        key = (line.unit_label, line.reason, line.pricing_label, line.unit_price, line.rate)
        group = groups.get(key)
        if group is None:
            group = groups[key] = PricedGroup(
                unit_label=line.unit_label,
                reason=line.get_reason_display(),
                pricing_label=line.pricing_label,
                unit_price=line.unit_price,
                rate=line.rate,
            )
        group.quantity += line.quantity
        group.amount += line.amount
        group.days.append(line.day)
    result = []
    for child, services in children.items():
        rows = []
        for service, groups in services.items():
            groups = list(groups.values())
            rows.append((service, groups, sum((g.amount for g in groups), ZERO)))
        result.append((child, rows, sum((row[2] for row in rows), ZERO)))
    return result


def _since_previous(invoice):
    """Payments and credit notes recorded between the family's previous invoice (same
    régie) and this one: what turned the previous total into ``previous_balance``."""
    previous = (
        Invoice.objects.filter(
            regie=invoice.regie_id,
            family=invoice.family_id,
            state=InvoiceState.ISSUED,
            issued_at__lt=invoice.issued_at,
        )
        .order_by("-issued_at", "-sequence")
        .first()
    )
    window = {"recorded_at__lte": invoice.issued_at}
    notes_window = {"issued_at__lte": invoice.issued_at}
    if previous is not None:
        window["recorded_at__gt"] = previous.issued_at
        notes_window["issued_at__gt"] = previous.issued_at
    payments = list(
        Payment.objects.filter(regie=invoice.regie_id, family=invoice.family_id, **window).order_by(
            "received_on", "pk"
        )
    )
    notes = list(
        CreditNote.objects.filter(
            regie=invoice.regie_id, family=invoice.family_id, **notes_window
        ).order_by("issued_at", "pk")
    )
    return previous, payments, notes


def _how_to_pay(invoice, total_due):
    from .services.card import StripeProvider

    family, regie = invoice.family, invoice.regie
    return {
        "due": total_due > 0,
        "card": StripeProvider(regie).available,
        "portal_url": absolute_url("espace_prive:home"),
        "sepa": family.has_active_sepa_mandate,
        "mandate": family.sepa_mandate_reference,
        "desk_methods": [label for value, label in PaymentMethod.choices if value in DESK_METHODS],
    }


def invoice_context(invoice):
    """Everything the invoice template shows (read from the frozen invoice and ledger)."""
    previous, payments, notes = _since_previous(invoice)
    paid = sum((payment.amount for payment in payments), ZERO)
    credited = sum((note.amount for note in notes), ZERO)
    total_due = invoice.previous_balance + invoice.total
    return {
        "invoice": invoice,
        "regie": invoice.regie,
        "family": invoice.family,
        "groups": line_groups(invoice.lines.all()),
        "previous": previous,
        "payments": payments,
        "credit_notes": notes,
        "balance_before": invoice.previous_balance + paid + credited,
        "paid": paid,
        "credited": credited,
        "total_due": total_due,
        "how": _how_to_pay(invoice, total_due),
    }


def invoice_pdf_bytes(invoice):
    """The PDF of an issued invoice, made now (see ``invoice_pdf_ensure`` to keep it)."""
    if invoice.state != InvoiceState.ISSUED:
        raise ValueError("Only an issued invoice has a PDF.")
    return render_pdf("billing/pdf/invoice.html", invoice_context(invoice))


def _load(invoice):
    return Invoice.objects.select_related("regie", "family").get(pk=invoice.pk)


def invoice_pdf_ensure(invoice):
    """The invoice with its stored PDF, made and stored now if it has none yet (two
    callers at once: one file is kept, the other removed)."""
    invoice = _load(invoice)
    if invoice.pdf or invoice.state != InvoiceState.ISSUED:
        return invoice
    content = invoice_pdf_bytes(invoice)
    storage = storages["private"]
    name = storage.save(
        f"factures/{invoice.regie_id}/{invoice.year}/{invoice.number}.pdf", ContentFile(content)
    )
    if not Invoice.objects.filter(pk=invoice.pk, pdf="").update(pdf=name):
        storage.delete(name)  # another process stored it first
    return _load(invoice)


def invoice_pdf_content(invoice):
    """The stored PDF's bytes (made if missing)."""
    invoice = invoice_pdf_ensure(invoice)
    with storages["private"].open(invoice.pdf.name, "rb") as handle:
        return handle.read()


def invoices_pdf_merged(invoices):
    """One PDF of several invoices (their stored PDFs one after the other), to print."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for invoice in invoices:
        writer.append(BytesIO(invoice_pdf_content(invoice)))
    output = BytesIO()
    writer.write(output)
    return output.getvalue()
