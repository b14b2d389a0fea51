"""Item 9 of issue 13: a town may hold new bookings back while a family leaves an invoice
unpaid for more than N days after its due date (``Regie.unpaid_block_days``, off when
empty). Registered into the bookings' checks by ``BillingConfig.ready``: bookings never
imports billing. Staff may still book for the family."""

import datetime
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db.models import Q

from .models import Invoice, InvoiceState, Regie
from .staff_selectors import invoices_with_remaining


def overdue_invoice(*, family, today):
    """The oldest issued invoice of ``family`` still due more than its régie's N days
    after its due date (None when no régie blocks, or nothing is that late)."""
    regies = list(Regie.objects.filter(unpaid_block_days__isnull=False))
    if not regies:
        return None
    late = reduce(
        or_,
        (
            Q(
                regie_id=regie.pk,
                due_date__lt=today - datetime.timedelta(days=regie.unpaid_block_days),
            )
            for regie in regies
        ),
    )
    queryset = Invoice.objects.filter(late, family=family, state=InvoiceState.ISSUED)
    return (
        invoices_with_remaining(queryset)
        .filter(remaining__gt=0)
        .select_related("regie")
        .order_by("due_date", "pk")
        .first()
    )


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
