"""Item 9 of issue 13: a town may hold new bookings back while a family leaves an invoice
unpaid for more than N days after its due date (``Regie.unpaid_block_days``, off when
empty). Registered into the bookings' checks by ``BillingConfig.ready``: bookings never
imports billing. Staff may still book for the family."""

import datetime

from django.core.exceptions import ValidationError

from .models import Invoice, InvoiceState
from .staff_selectors import invoices_with_remaining


def overdue_invoice(*, family, today):
    """The oldest issued invoice of ``family`` still due more than its régie's N days
    after its due date (None when no régie blocks, or nothing is that late).

    One query whatever the régies: every booking runs it (a school year's pattern is
    bounded to 20 queries); the few invoices past their due date are sorted out here."""
    queryset = Invoice.objects.filter(
        family=family,
        state=InvoiceState.ISSUED,
        regie__unpaid_block_days__isnull=False,
        due_date__lt=today,
    )
    candidates = (
        invoices_with_remaining(queryset)
        .filter(remaining__gt=0)
        .select_related("regie")
        .order_by("due_date", "pk")
    )
    for invoice in candidates:
        if invoice.due_date < today - datetime.timedelta(days=invoice.regie.unpaid_block_days):
            return invoice
    return None


def refuse_if_unpaid(*, family, today):
    invoice = overdue_invoice(family=family, today=today)
    if invoice is None:
        return
    regie = invoice.regie
    contact = f" ({regie.email})" if regie.email else ""
    raise ValidationError(
        f"Les nouvelles réservations sont suspendues : la facture {invoice.number} "
        f"(à payer avant le {invoice.due_date:%d/%m/%Y}, reste {invoice.remaining} €) est "
        f"impayée depuis plus de {regie.unpaid_block_days} jours. Réglez-la depuis votre "
        f"espace famille ou contactez la régie « {regie.name} »{contact} ; vos réservations "
        "déjà faites sont maintenues.",
        code="unpaid_invoices",
    )
