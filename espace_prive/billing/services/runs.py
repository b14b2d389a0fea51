"""A billing run: draft (again and again, with anomalies and the differences from the
previous draft), then issue the invoices batch after batch, one transaction per batch
(resumable: a run stopped half-way is issued again from where it stopped). Drafting and
issuing cost a fixed number of queries per batch, whatever its size."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from espace_prive.bookings.models import Booking, BookingState
from espace_prive.families.models import Family

from ..audit import billing_audit
from ..models import (
    BillingAction,
    BillingAnomaly,
    BillingRun,
    BillingRunState,
    Invoice,
    InvoiceLine,
    InvoiceService,
    InvoiceState,
    RunJob,
    SequenceKind,
)
from .balances import family_balances
from .documents import run_documents_enqueue
from .lines import billable_lines, month_bounds
from .numbering import format_number, number_block, number_next

# Families drafted, and invoices issued, per transaction (the resumption points).
BATCH_SIZE = 500
ISSUE_BATCH_SIZE = 500


def run_create(*, regie, month, services, actor, ip=None, user_agent=""):
    """A new run of ``month`` for ``services`` of ``regie`` (refused while another run
    of the same month and service is still a draft: it would bill the same days)."""
    services = list(services)
    if not services:
        raise ValidationError({"services": "Choisissez au moins un service."})
    foreign = [s for s in services if not regie.billed_services.filter(service=s).exists()]
    if foreign:
        raise ValidationError(
            f"La régie {regie} ne facture pas : {', '.join(str(s) for s in foreign)}."
        )
    month = month.replace(day=1)
    with transaction.atomic():
        # One régie's runs are created one at a time (the overlap check holds).
        type(regie).objects.select_for_update().get(pk=regie.pk)
        open_runs = BillingRun.objects.filter(
            regie=regie, month=month, state=BillingRunState.DRAFT, services__in=services
        ).distinct()
        if open_runs.exists():
            raise ValidationError(
                f"Une facturation de {month:%m/%Y} est déjà en brouillon pour ces services : "
                "recalculez-la ou émettez-la."
            )
        run = BillingRun.objects.create(regie=regie, month=month, created_by=actor)
        run.services.set(services)
        billing_audit(
            BillingAction.RUN_CREATED,
            regie=regie,
            run=run,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=f"Facturation {run} : {', '.join(str(s) for s in services)}",
        )
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


def _candidate_families(run, *, after=0, limit=None):
    """Ids of the families this run may bill, in order: booked in the month for its
    services, or holding a draft or an anomaly of the run from an earlier draft.

    ``after``/``limit``: only the next ``limit`` ids after ``after`` (a batch), read as
    such from the database (each batch reads its own families, not the whole month).
    """
    start, end = month_bounds(run.month)
    sources = [
        (
            Booking.objects.filter(
                unit__service__in=run.services.all(),
                day__gte=start,
                day__lte=end,
                state__in=[BookingState.BOOKED, BookingState.CANCELLED],
            ),
            "child__family_id",
        ),
        (Invoice.objects.filter(run=run, state=InvoiceState.DRAFT), "family_id"),
        (BillingAnomaly.objects.filter(run=run), "family_id"),
    ]
    ids = set()
    for queryset, field in sources:
        family_ids = (
            queryset.filter(**{f"{field}__gt": after})
            .order_by(field)
            .values_list(field, flat=True)
            .distinct()
        )
        ids.update(family_ids[:limit] if limit else family_ids)
    return sorted(ids)[:limit]


def _draft_batch(run, family_ids, services):
    """Draft again the invoices of ``family_ids`` (one transaction, the run locked)."""
    previous = defaultdict(dict)
    for line in InvoiceLine.objects.filter(
        invoice__run=run, invoice__state=InvoiceState.DRAFT, invoice__family_id__in=family_ids
    ).select_related("invoice"):
        key = (line.child_id, line.service_id, line.day.isoformat(), line.unit_label)
        previous[line.invoice.family_id][key] = line.amount
    had_draft = run.draft_count > 0
    Invoice.objects.filter(run=run, state=InvoiceState.DRAFT, family_id__in=family_ids).delete()
    run.anomalies.filter(family_id__in=family_ids).delete()
    lines, anomalies = billable_lines(
        regie=run.regie, month=run.month, services=services, families=family_ids
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
        Invoice.objects.filter(
            run=run, state=InvoiceState.ISSUED, family_id__in=family_ids
        ).values_list("family_id", flat=True)
    )
    families = Family.objects.prefetch_related("guardians").in_bulk(by_family).items()
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
    invoice_of = {invoice.family_id: invoice.pk for invoice in invoices}
    _insert_lines([line for line in lines if line.family_id in invoice_of], invoice_of)


LINE_COLUMNS = {
    # InvoiceLine field: (SQL type, value of a ``Line``)
    "day": ("date", lambda line: line.day),
    "child": ("bigint", lambda line: line.child.pk),
    "child_name": ("text", lambda line: line.child.full_name),
    "service": ("bigint", lambda line: line.service.pk),
    "service_name": ("text", lambda line: line.service.name),
    "booking": ("bigint", lambda line: line.booking.pk if line.booking else None),
    "unit_label": ("text", lambda line: line.unit_label),
    "quantity": ("numeric", lambda line: line.quantity),
    "unit_price": ("numeric", lambda line: line.unit_price),
    "rate": ("numeric", lambda line: line.rate),
    "amount": ("numeric", lambda line: line.amount),
    "pricing_label": ("text", lambda line: line.pricing_label),
    "reason": ("text", lambda line: line.reason),
}


def _insert_lines(lines, invoice_of):
    """Insert the ``InvoiceLine`` rows of ``lines`` (``invoice_of``: family id → draft
    invoice id). On PostgreSQL one INSERT from arrays (``unnest``), no model instance:
    ``bulk_create`` of thousands of lines costs seconds of Python per batch."""
    if not lines:
        return
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice_id=invoice_of[line.family_id],
                **{
                    InvoiceLine._meta.get_field(name).attname: value(line)
                    for name, (_type, value) in LINE_COLUMNS.items()
                },
            )
            for line in lines
        )
        return
    fields = ["invoice", *LINE_COLUMNS]
    types = ["bigint", *(sql_type for sql_type, _value in LINE_COLUMNS.values())]
    columns = ", ".join(InvoiceLine._meta.get_field(name).column for name in fields)
    arrays = ", ".join(f"%s::{sql_type}[]" for sql_type in types)
    values = [[invoice_of[line.family_id] for line in lines]] + [
        [value(line) for line in lines] for _type, value in LINE_COLUMNS.values()
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {InvoiceLine._meta.db_table} ({columns}) "  # noqa: S608 (ours)
            f"SELECT * FROM unnest({arrays})",
            values,
        )


def _busy(run):
    if run.job:
        raise ValidationError(
            f"Une tâche est déjà en cours sur cette facturation ({run.get_job_display().lower()}"
            ") : attendez sa fin, ou relancez-la si elle s'est arrêtée."
        )


def run_draft_start(*, run, actor=None, ip=None, user_agent=""):
    """Mark ``run`` as drafting from its first family (the task then does the work)."""
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().select_related("regie").get(pk=run.pk)
        if run.state == BillingRunState.ISSUED:
            raise ValidationError(
                "Cette facturation est déjà émise : elle ne peut être recalculée."
            )
        _busy(run)
        run.job, run.job_started_at = RunJob.DRAFT, timezone.now()
        run.job_cursor, run.job_done, run.job_error = 0, 0, ""
        run.save(update_fields=["job", "job_started_at", "job_cursor", "job_done", "job_error"])
        billing_audit(
            BillingAction.RUN_DRAFT_REQUESTED,
            regie=run.regie,
            run=run,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=f"Calcul du brouillon de {run}",
        )
    return run


def _batch_checkpoint(run, batch_number):
    """Called after each committed batch (tests stop the task here)."""


def run_draft_step(*, run, batch_size=None, actor=None):
    """Draft the next batch of families after the run's cursor, in one transaction.

    Returns True while families remain; at the end, closes the draft (count, date, one
    journal row) and returns False. A run whose draft is not in progress: False.
    """
    batch_size = batch_size or BATCH_SIZE
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().select_related("regie").get(pk=run.pk)
        if run.job != RunJob.DRAFT:
            return False
        family_ids = _candidate_families(run, after=run.job_cursor, limit=batch_size)
        if family_ids:
            _draft_batch(run, family_ids, list(run.services.all()))
            run.job_cursor, run.job_done = family_ids[-1], run.job_done + len(family_ids)
            run.save(update_fields=["job_cursor", "job_done"])
            return True
        run.drafted_at = timezone.now()
        run.draft_count += 1
        run.job, run.job_cursor = RunJob.NONE, 0
        run.save(update_fields=["drafted_at", "draft_count", "job", "job_cursor"])
        totals = run.invoices.filter(state=InvoiceState.DRAFT).aggregate(
            n=Count("pk"), total=Sum("total")
        )
        billing_audit(
            BillingAction.RUN_DRAFTED,
            regie=run.regie,
            run=run,
            actor=actor,
            amount=totals["total"] or Decimal(0),
            summary=(
                f"Brouillon n° {run.draft_count} de {run} : {totals['n']} facture(s), "
                f"{run.anomalies.count()} anomalie(s)"
            ),
        )
        return False


def run_draft_continue(*, run, batch_size=None, actor=None):
    """Draft batch after batch until the end (what the background task runs); enqueued
    again after a stop, it goes on after the last family finished."""
    batch_number = 0
    while run_draft_step(run=run, batch_size=batch_size, actor=actor):
        batch_number += 1
        _batch_checkpoint(run, batch_number)
    return BillingRun.objects.get(pk=run.pk)


def run_draft(*, run, actor=None, batch_size=None):
    """Compute the drafts of ``run`` again, here and now: one draft invoice per family."""
    run_draft_start(run=run, actor=actor)
    return run_draft_continue(run=run, batch_size=batch_size, actor=actor)


def _issue(invoices, *, regie, today, reserve):
    """Issue ``invoices`` (drafts of ``regie``, locked, of distinct families, in number
    order): numbers, payer snapshot, previous balance, due date, coverage.

    ``reserve(count)`` takes ``count`` numbers from the régie's locked sequence and
    returns the first; it runs before the balances are read, so a concurrent issue of
    the same régie (which waits on that lock) reads them after this one committed.
    Costs a fixed number of queries, whatever the number of invoices.
    """
    if not invoices:
        return invoices
    first = reserve(len(invoices))
    family_ids = [invoice.family_id for invoice in invoices]
    families = Family.objects.prefetch_related("guardians").in_bulk(family_ids)
    balances = family_balances(regie=regie, family_ids=family_ids)
    issued_at = timezone.now()
    due_date = today + datetime.timedelta(days=regie.payment_delay_days)
    for offset, invoice in enumerate(invoices):
        invoice.payer_name, invoice.payer_address = _payer(families[invoice.family_id])
        invoice.previous_balance = balances[invoice.family_id]
        invoice.state = InvoiceState.ISSUED
        invoice.year, invoice.sequence = today.year, first + offset
        invoice.number = format_number(SequenceKind.INVOICE, today.year, first + offset)
        invoice.issued_at, invoice.due_date = issued_at, due_date
    _save_issued(invoices)
    covered = (
        InvoiceLine.objects.filter(invoice__in=invoices)
        .order_by("invoice_id", "service_id")
        .values_list("invoice_id", "service_id")
        .distinct()
    )
    by_pk = {invoice.pk: invoice for invoice in invoices}
    InvoiceService.objects.bulk_create(
        InvoiceService(
            invoice=by_pk[invoice_id],
            family_id=by_pk[invoice_id].family_id,
            month=by_pk[invoice_id].month,
            service_id=service_id,
        )
        for invoice_id, service_id in covered
    )
    return invoices


ISSUE_FIELDS = [
    "payer_name",
    "payer_address",
    "previous_balance",
    "state",
    "year",
    "sequence",
    "number",
    "issued_at",
    "due_date",
]


def _save_issued(invoices):
    """Write the issue fields of ``invoices`` in one UPDATE. On PostgreSQL, from arrays
    (``unnest``): ``bulk_update``'s CASE per field costs seconds of Python per batch."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        Invoice.objects.bulk_update(invoices, ISSUE_FIELDS)
        return
    column = {name: Invoice._meta.get_field(name).column for name in ISSUE_FIELDS}
    first = invoices[0]
    sql = f"""
        UPDATE {Invoice._meta.db_table} AS invoice SET
            {column["payer_name"]} = v.payer_name,
            {column["payer_address"]} = v.payer_address,
            {column["previous_balance"]} = v.previous_balance,
            {column["sequence"]} = v.sequence,
            {column["number"]} = v.number,
            {column["state"]} = %s,
            {column["year"]} = %s,
            {column["issued_at"]} = %s,
            {column["due_date"]} = %s
        FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::numeric[], %s::integer[],
                    %s::text[]) AS v(id, payer_name, payer_address, previous_balance,
                                     sequence, number)
        WHERE invoice.id = v.id AND invoice.state = %s
    """  # noqa: S608 (our table and column names)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                first.state,
                first.year,
                first.issued_at,
                first.due_date,
                [invoice.pk for invoice in invoices],
                [invoice.payer_name for invoice in invoices],
                [invoice.payer_address for invoice in invoices],
                [invoice.previous_balance for invoice in invoices],
                [invoice.sequence for invoice in invoices],
                [invoice.number for invoice in invoices],
                InvoiceState.DRAFT,
            ],
        )
        if cursor.rowcount != len(invoices):  # they were locked: never happens
            raise RuntimeError("an invoice of the batch was not a draft any more")


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

        def reserve(count):
            sequence, _number = number_next(
                regie=invoice.regie,
                kind=SequenceKind.INVOICE,
                year=today.year,
                lock=lock,
                pause=pause,
            )
            return sequence

        _issue([invoice], regie=invoice.regie, today=today, reserve=reserve)
    return invoice


def _issue_batch(run, invoice_ids, today):
    """Issue the drafts ``invoice_ids`` of ``run`` in one transaction (those issued
    meanwhile are left alone); their numbers follow each other, in the given order."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update(of=("self",)).filter(
            pk__in=invoice_ids, run=run, state=InvoiceState.DRAFT
        )
        by_pk = {invoice.pk: invoice for invoice in locked}
        invoices = [by_pk[pk] for pk in invoice_ids if pk in by_pk]
        _issue(
            invoices,
            regie=run.regie,
            today=today,
            reserve=lambda count: number_block(
                regie=run.regie, kind=SequenceKind.INVOICE, year=today.year, count=count
            ),
        )
        BillingRun.objects.filter(pk=run.pk).update(job_done=F("job_done") + len(invoices))
    return len(invoices)


def _check_issuable(run):
    if run.anomalies.filter(blocking=True).exists():
        raise ValidationError(
            "Des anomalies bloquantes restent à corriger : corrigez les données puis "
            "recalculez le brouillon avant d'émettre."
        )
    if run.draft_count == 0:
        raise ValidationError("Calculez d'abord le brouillon de cette facturation.")


def run_issue_start(*, run, actor=None, ip=None, user_agent=""):
    """Mark ``run`` as issuing (refused while a blocking anomaly is listed)."""
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().select_related("regie").get(pk=run.pk)
        if run.state == BillingRunState.ISSUED:
            raise ValidationError("Cette facturation est déjà émise.")
        _busy(run)
        _check_issuable(run)
        run.job, run.job_started_at, run.job_done, run.job_error = (
            RunJob.ISSUE,
            timezone.now(),
            0,
            "",
        )
        run.save(update_fields=["job", "job_started_at", "job_done", "job_error"])
        billing_audit(
            BillingAction.RUN_ISSUE_REQUESTED,
            regie=run.regie,
            run=run,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=f"Émission de {run}",
        )
    return run


def run_issue_continue(*, run, actor=None, today=None):
    """Issue every draft of ``run``, batch after batch, each batch in its own
    transaction (what the task runs; enqueued again, it issues only those still
    drafts), then close the run."""
    today = today or timezone.localdate()
    run = BillingRun.objects.select_related("regie").get(pk=run.pk)
    if run.job != RunJob.ISSUE:
        return run
    drafts = run.invoices.filter(state=InvoiceState.DRAFT).order_by("payer_name", "pk")
    batch_number = 0
    while ids := list(drafts.values_list("pk", flat=True)[:ISSUE_BATCH_SIZE]):
        _issue_batch(run, ids, today)
        batch_number += 1
        _batch_checkpoint(run, batch_number)
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().select_related("regie").get(pk=run.pk)
        if run.state != BillingRunState.ISSUED:
            run.state = BillingRunState.ISSUED
            run.issued_at = timezone.now()
            run.issued_by = actor
            run.job = RunJob.NONE
            run.save(update_fields=["state", "issued_at", "issued_by", "job"])
            totals = run.invoices.aggregate(n=Count("pk"), total=Sum("total"))
            billing_audit(
                BillingAction.RUN_ISSUED,
                regie=run.regie,
                run=run,
                actor=actor,
                amount=totals["total"] or Decimal(0),
                summary=f"{run} émise : {totals['n']} facture(s)",
            )
            run_documents_enqueue(run)
    return run


def run_issue(*, run, actor, today=None):
    """Issue every draft of ``run`` here and now (refused while a blocking anomaly is
    listed); a run already issued is returned unchanged."""
    if BillingRun.objects.filter(pk=run.pk, state=BillingRunState.ISSUED).exists():
        return BillingRun.objects.get(pk=run.pk)
    run = run_issue_start(run=run, actor=actor)
    return run_issue_continue(run=run, actor=actor, today=today)


def run_task_failed(*, run, error):
    """Keep why the task stopped (the run stays in its job: enqueue it again to go on)."""
    BillingRun.objects.filter(pk=run.pk).update(job_error=str(error)[:255])
