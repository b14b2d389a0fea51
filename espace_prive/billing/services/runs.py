"""A billing run: draft (again and again, with anomalies and the differences from the
previous draft), then issue each family's invoice in its own transaction (resumable: a
run stopped half-way is issued again from where it stopped)."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from espace_prive.families.models import Family

from ..models import (
    BillingAnomaly,
    BillingRun,
    BillingRunState,
    Invoice,
    InvoiceLine,
    InvoiceService,
    InvoiceState,
    SequenceKind,
)
from .balances import family_balance
from .lines import billable_lines, month_bounds
from .numbering import number_next


def run_create(*, regie, month, services, actor):
    services = list(services)
    foreign = [s for s in services if not regie.billed_services.filter(service=s).exists()]
    if foreign:
        raise ValidationError(
            f"La régie {regie} ne facture pas : {', '.join(str(s) for s in foreign)}."
        )
    run = BillingRun.objects.create(regie=regie, month=month.replace(day=1), created_by=actor)
    run.services.set(services)
    return run


def _payer(family):
    guardian = family.primary_guardian
    name = guardian.formal_name if guardian else str(family)
    lines = [family.address, family.address_complement, f"{family.postcode} {family.city}"]
    return name[:255], "\n".join(line.strip() for line in lines if line.strip())


def _changes(before, after):
    """Lines added, removed or changed in amount since the previous draft."""
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        child_id, service_id, day, unit = key
        changes.append(
            {
                "day": day,
                "unit": unit,
                "child_id": child_id,
                "service_id": service_id,
                "before": None if old is None else str(old),
                "after": None if new is None else str(new),
            }
        )
    return changes


@transaction.atomic
def run_draft(*, run, actor=None):
    """Compute the drafts of ``run`` again: one draft invoice per family with lines."""
    run = BillingRun.objects.select_for_update().get(pk=run.pk)
    if run.state == BillingRunState.ISSUED:
        raise ValidationError("Cette facturation est déjà émise : elle ne peut être recalculée.")
    previous = defaultdict(dict)
    for line in InvoiceLine.objects.filter(
        invoice__run=run, invoice__state=InvoiceState.DRAFT
    ).select_related("invoice"):
        key = (line.child_id, line.service_id, line.day.isoformat(), line.unit_label)
        previous[line.invoice.family_id][key] = line.amount
    had_draft = run.draft_count > 0
    Invoice.objects.filter(run=run, state=InvoiceState.DRAFT).delete()
    run.anomalies.all().delete()
    lines, anomalies = billable_lines(
        regie=run.regie, month=run.month, services=list(run.services.all())
    )
    BillingAnomaly.objects.bulk_create(
        BillingAnomaly(
            run=run,
            family_id=a.family_id,
            child=a.child,
            service=a.service,
            day=a.day,
            kind=a.kind,
            blocking=a.blocking,
            message=a.message[:255],
        )
        for a in anomalies
    )
    by_family = defaultdict(list)
    for line in lines:
        by_family[line.family_id].append(line)
    issued = set(
        Invoice.objects.filter(run=run, state=InvoiceState.ISSUED).values_list(
            "family_id", flat=True
        )
    )
    families = Family.objects.in_bulk(by_family).items()
    start, end = month_bounds(run.month)
    invoices = []
    for family_id, family in families:
        if family_id in issued:
            continue
        name, address = _payer(family)
        family_lines = by_family[family_id]
        after = {line.key: line.amount for line in family_lines}
        invoices.append(
            Invoice(
                regie=run.regie,
                run=run,
                family=family,
                month=start,
                period_start=start,
                period_end=end,
                payer_name=name,
                payer_address=address,
                total=sum((line.amount for line in family_lines), Decimal(0)),
                changes=_changes(previous.get(family_id, {}), after) if had_draft else [],
            )
        )
    Invoice.objects.bulk_create(invoices)
    invoice_of = {invoice.family_id: invoice for invoice in invoices}
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice_of[line.family_id],
            day=line.day,
            child=line.child,
            child_name=line.child.full_name,
            service=line.service,
            service_name=line.service.name,
            booking=line.booking,
            unit_label=line.unit_label,
            quantity=line.quantity,
            unit_price=line.unit_price,
            rate=line.rate,
            amount=line.amount,
            pricing_label=line.pricing_label,
            reason=line.reason,
        )
        for line in lines
        if line.family_id in invoice_of
    )
    run.drafted_at = timezone.now()
    run.draft_count += 1
    run.save(update_fields=["drafted_at", "draft_count"])
    return run


def invoice_issue(*, invoice, today=None, pause=None, lock=True):
    """Issue one draft: number, payer snapshot, previous balance, due date, coverage.

    One transaction; the number comes from the régie's locked sequence (no gap, no
    duplicate). Issuing an invoice already issued returns it unchanged.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("regie")
            .get(pk=invoice.pk)
        )
        if invoice.state == InvoiceState.ISSUED:
            return invoice
        family = Family.objects.prefetch_related("guardians").get(pk=invoice.family_id)
        sequence, number = number_next(
            regie=invoice.regie,
            kind=SequenceKind.INVOICE,
            year=today.year,
            lock=lock,
            pause=pause,
        )
        invoice.payer_name, invoice.payer_address = _payer(family)
        invoice.previous_balance = family_balance(regie=invoice.regie, family=family)
        invoice.state = InvoiceState.ISSUED
        invoice.year, invoice.sequence, invoice.number = today.year, sequence, number
        invoice.issued_at = timezone.now()
        invoice.due_date = today + datetime.timedelta(days=invoice.regie.payment_delay_days)
        invoice.save()
        InvoiceService.objects.bulk_create(
            InvoiceService(invoice=invoice, family=family, month=invoice.month, service_id=pk)
            for pk in sorted(set(invoice.lines.values_list("service_id", flat=True)))
        )
    return invoice


def run_issue(*, run, actor, today=None):
    """Issue every draft of ``run`` (refused while a blocking anomaly is listed)."""
    run = BillingRun.objects.get(pk=run.pk)
    if run.anomalies.filter(blocking=True).exists():
        raise ValidationError(
            "Des anomalies bloquantes restent à corriger : corrigez les données puis "
            "recalculez le brouillon avant d'émettre."
        )
    if run.draft_count == 0:
        raise ValidationError("Calculez d'abord le brouillon de cette facturation.")
    for invoice in run.invoices.filter(state=InvoiceState.DRAFT).order_by("payer_name", "pk"):
        invoice_issue(invoice=invoice, today=today)
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().get(pk=run.pk)
        if run.state != BillingRunState.ISSUED:
            run.state = BillingRunState.ISSUED
            run.issued_at = timezone.now()
            run.issued_by = actor
            run.save(update_fields=["state", "issued_at", "issued_by"])
    return run
