"""Billing documents in the admin: an issued invoice's PDF (the one the family gets),
and the paper invoices of a run as one PDF to print."""

from django.shortcuts import redirect
from django.views import View
from wagtail.admin import messages

from espace_prive.admin_access import AdminPermissionMixin
from espace_prive.downloads import content_download, download_filename

from ..document_views import invoice_download
from ..models import BillingRun, Invoice, InvoiceState
from ..pdf import invoices_pdf_merged
from ..permissions import VIEW_INVOICE
from ..services.documents import run_paper_invoices
from .base import get_or_404


class InvoicePdfView(AdminPermissionMixin, View):
    permission = VIEW_INVOICE

    def load(self, invoice_id):
        self.invoice = get_or_404(
            Invoice.objects.filter(state=InvoiceState.ISSUED), invoice_id, "Facture introuvable."
        )

    def get(self, request, invoice_id):
        return invoice_download(self.invoice)


class RunPaperInvoicesView(AdminPermissionMixin, View):
    """« Imprimer les factures papier »: the run's invoices of the families who did not
    choose paperless invoices, one PDF, by payer name."""

    permission = VIEW_INVOICE

    def load(self, run_id):
        self.run = get_or_404(
            BillingRun.objects.select_related("regie"), run_id, "Facturation introuvable."
        )

    def get(self, request, run_id):
        invoices = list(run_paper_invoices(self.run))
        if not invoices:
            messages.error(request, "Aucune facture papier à imprimer pour cette facturation.")
            return redirect("billing_admin:run", self.run.public_id)
        filename = download_filename(
            "factures papier", self.run.regie.name, f"{self.run.month:%Y-%m}", extension="pdf"
        )
        return content_download(invoices_pdf_merged(invoices), filename)
