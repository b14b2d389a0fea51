"""The family's billing documents: an invoice's PDF (made once, kept, handed out as a
private download). Another family's invoice, or a draft, is a 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from espace_prive.access import family_required
from espace_prive.downloads import private_file_download

from .models import Invoice, InvoiceState
from .pdf import invoice_pdf_ensure


def invoice_download(invoice):
    """The stored PDF of ``invoice`` (made now if the background task has not yet)."""
    invoice = invoice_pdf_ensure(invoice)
    if not invoice.pdf:
        raise Http404("Facture introuvable.")
    return private_file_download(invoice.pdf.name, "facture", invoice.number)


@family_required
def invoice_pdf(request, invoice_id):
    invoice = get_object_or_404(
        Invoice, public_id=invoice_id, family=request.family, state=InvoiceState.ISSUED
    )
    return invoice_download(invoice)
