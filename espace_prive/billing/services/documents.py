"""What follows a run's issue, in the background (``tasks.invoice_documents``): each
issued invoice of the run gets its PDF (unless ``BILLING_PDFS_AFTER_ISSUE`` is off: then
at its first download), and its notice: an e-mail to a family that chose paperless
invoices (``Family.paperless_invoices``), otherwise a place in the run's paper invoices
that staff print as one PDF. Enqueued again, it goes on with the invoices left; a
notice is recorded once (``InvoiceNotice``), so nobody is told twice.

Also the receipt e-mailed when a payment is recorded (card, manual, direct debit).
E-mails go through ``notify`` after the commit: a mail server down never undoes the
issue nor the payment.
"""

from django.conf import settings
from django.db import IntegrityError, transaction

from espace_prive.notifications import ACCOUNT, absolute_url, guardian_addresses, notify_many

from ..models import BillingRun, Invoice, InvoiceNotice, InvoiceState, NoticeChannel, NoticeKind
from .balances import family_balance

BATCH = 200


def run_documents_enqueue(run):
    """After the commit that issues ``run``: its documents, as one background task."""
    from .. import tasks

    transaction.on_commit(lambda: tasks.invoice_documents.enqueue(run.pk), robust=True)


def invoice_link(invoice):
    return absolute_url("espace_prive:billing:invoice_pdf", invoice.public_id)


def _notice_context(invoice):
    return {
        "invoice": invoice,
        "total_due": invoice.previous_balance + invoice.total,
        "link": invoice_link(invoice),
    }


def invoices_notify_issued(invoices):
    """Record the issue notice of each invoice not notified yet, and e-mail those of
    paperless families (one task for the batch). Returns the notices recorded."""
    invoices = list(invoices)
    addresses = guardian_addresses([i.family_id for i in invoices if i.family.paperless_invoices])
    recorded, deliveries = [], []
    with transaction.atomic():
        for invoice in invoices:
            to = addresses.get(invoice.family_id, [])
            if not invoice.family.paperless_invoices:
                channel = NoticeChannel.PAPER
            else:
                channel = NoticeChannel.EMAIL if to else NoticeChannel.PAPER
            try:
                with transaction.atomic():
                    notice = InvoiceNotice.objects.create(
                        invoice=invoice,
                        kind=NoticeKind.ISSUED,
                        channel=channel,
                        recipients=len(to) if channel == NoticeChannel.EMAIL else 0,
                    )
            except IntegrityError:
                continue  # already notified (a task run twice)
            recorded.append(notice)
            if channel == NoticeChannel.EMAIL:
                deliveries.append((to, _notice_context(invoice)))
        if deliveries:
            notify_many(deliveries, kind=ACCOUNT, template="billing/emails/invoice_issued")
    return recorded


def run_documents(*, run):
    """Make what is missing for the issued invoices of ``run`` (PDFs, notices); returns
    how many notices were recorded."""
    from ..pdf import invoice_pdf_ensure

    run = BillingRun.objects.get(pk=run.pk)
    invoices = run.invoices.filter(state=InvoiceState.ISSUED).order_by("pk")
    if settings.BILLING_PDFS_AFTER_ISSUE:
        for invoice in invoices.filter(pdf="").only("pk").iterator():
            invoice_pdf_ensure(invoice)
    done = 0
    pending = invoices.exclude(notices__kind=NoticeKind.ISSUED).select_related("family")
    while batch := list(pending[:BATCH]):
        done += len(invoices_notify_issued(batch))
    return done


def run_paper_invoices(run):
    """The run's invoices to print (families without paperless invoices), by payer."""
    return (
        Invoice.objects.filter(
            run=run,
            state=InvoiceState.ISSUED,
            notices__kind=NoticeKind.ISSUED,
            notices__channel=NoticeChannel.PAPER,
        )
        .select_related("regie", "family")
        .order_by("payer_name", "pk")
    )


def run_notice_counts(run):
    """``{"email": n, "papier": n, "pending": n}``: how the run's families were told."""
    counts = dict.fromkeys(NoticeChannel.values, 0)
    rows = InvoiceNotice.objects.filter(invoice__run=run, kind=NoticeKind.ISSUED).values_list(
        "channel"
    )
    for (channel,) in rows:
        counts[channel] += 1
    issued = Invoice.objects.filter(run=run, state=InvoiceState.ISSUED).count()
    counts["pending"] = issued - sum(counts[channel] for channel in NoticeChannel.values)
    return counts


def payment_receipt_notify(payment):
    """E-mail the family a receipt of ``payment`` (inside the payment's transaction:
    sent after its commit, never for a payment rolled back)."""
    from espace_prive.notifications import family_addresses, notify

    family = payment.family
    to = family_addresses(family)
    if not to or payment.is_refund:
        return 0
    allocations = list(payment.allocations.select_related("invoice").order_by("invoice__pk"))
    return notify(
        to=to,
        kind=ACCOUNT,
        template="billing/emails/payment_receipt",
        context={
            "payment": payment,
            "allocations": allocations,
            "balance": family_balance(regie=payment.regie, family=family),
            "regie": payment.regie,
            "link": absolute_url("espace_prive:billing:statement"),
        },
    )
