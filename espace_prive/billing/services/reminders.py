"""Reminders of the invoices still due, configured per régie: an e-mail
``Regie.reminder_days_before`` days before the due date, a dunning notice
``Regie.dunning_days_after`` days after it (empty: none). Run daily (the
``billing_reminders`` command, or the ``send_reminders`` task); an invoice gets each at
most once (``InvoiceNotice``, unique per kind), a day missed is caught up the next day,
and an invoice paid or credited meanwhile gets nothing."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from espace_prive.notifications import ACCOUNT, guardian_addresses, notify_many

from ..models import Invoice, InvoiceNotice, InvoiceState, NoticeChannel, NoticeKind, Regie
from ..staff_selectors import invoices_with_remaining
from .documents import invoice_link

BATCH = 200
TEMPLATES = {
    NoticeKind.REMINDER: "billing/emails/invoice_reminder",
    NoticeKind.DUNNING: "billing/emails/invoice_dunning",
}


def _due(regie, kind, today):
    issued = Invoice.objects.filter(regie=regie, state=InvoiceState.ISSUED)
    if kind == NoticeKind.REMINDER:
        days = regie.reminder_days_before
        issued = issued.filter(
            due_date__gt=today, due_date__lte=today + datetime.timedelta(days=days)
        )
    else:
        issued = issued.filter(
            due_date__lte=today - datetime.timedelta(days=regie.dunning_days_after)
        )
    return (
        invoices_with_remaining(issued.exclude(notices__kind=kind))
        .filter(remaining__gt=0)
        .select_related("family")
        .order_by("pk")
    )


def _send(invoices, kind):
    addresses = guardian_addresses([invoice.family_id for invoice in invoices])
    deliveries, sent = [], 0
    with transaction.atomic():
        for invoice in invoices:
            to = addresses.get(invoice.family_id, [])
            try:
                with transaction.atomic():
                    InvoiceNotice.objects.create(
                        invoice=invoice,
                        kind=kind,
                        channel=NoticeChannel.EMAIL if to else NoticeChannel.NONE,
                        recipients=len(to),
                    )
            except IntegrityError:
                continue  # sent by another run meanwhile
            sent += 1
            if to:
                context = {
                    "invoice": invoice,
                    "remaining": invoice.remaining,
                    "link": invoice_link(invoice),
                }
                deliveries.append((to, context))
        if deliveries:
            notify_many(deliveries, kind=ACCOUNT, template=TEMPLATES[kind])
    return sent


def reminders_send(*, today=None):
    """Send the reminders and dunning notices due ``today``: ``{kind: count}``."""
    today = today or timezone.localdate()
    counts = {NoticeKind.REMINDER: 0, NoticeKind.DUNNING: 0}
    regies = Regie.objects.filter(
        Q(reminder_days_before__isnull=False) | Q(dunning_days_after__isnull=False)
    )
    for regie in regies:
        for kind, days in (
            (NoticeKind.REMINDER, regie.reminder_days_before),
            (NoticeKind.DUNNING, regie.dunning_days_after),
        ):
            if not days:
                continue
            while batch := list(_due(regie, kind, today)[:BATCH]):
                sent = _send(batch, kind)
                counts[kind] += sent
                if not sent:
                    break
    return counts
