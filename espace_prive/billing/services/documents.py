"""What follows a run's issue, in the background (``tasks.invoice_documents``): each
issued invoice of the run gets its PDF (unless ``BILLING_PDFS_AFTER_ISSUE`` is off: then
at its first download). Enqueued again, it goes on with the invoices left."""

from django.conf import settings
from django.db import transaction

from ..models import BillingRun, InvoiceState


def run_documents_enqueue(run):
    """After the commit that issues ``run``: its documents, as one background task."""
    from .. import tasks

    transaction.on_commit(lambda: tasks.invoice_documents.enqueue(run.pk), robust=True)


def run_documents(*, run):
    """Make what is missing for the issued invoices of ``run``; returns how many
    invoices were handled."""
    from ..pdf import invoice_pdf_ensure

    run = BillingRun.objects.get(pk=run.pk)
    invoices = run.invoices.filter(state=InvoiceState.ISSUED).order_by("pk")
    done = 0
    if settings.BILLING_PDFS_AFTER_ISSUE:
        for invoice in invoices.filter(pdf="").only("pk").iterator():
            invoice_pdf_ensure(invoice)
            done += 1
    return done
