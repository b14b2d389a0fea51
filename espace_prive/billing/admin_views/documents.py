"""Billing documents in the admin: an issued invoice's PDF (the one the family gets),
and the paper invoices of a run as one PDF to print."""

from django.views import View

from espace_prive.admin_access import AdminPermissionMixin

from ..document_views import invoice_download
from ..models import Invoice, InvoiceState
from ..permissions import VIEW_INVOICE
from .base import get_or_404


class InvoicePdfView(AdminPermissionMixin, View):
    permission = VIEW_INVOICE

    def load(self, invoice_id):
        self.invoice = get_or_404(
            Invoice.objects.filter(state=InvoiceState.ISSUED), invoice_id, "Facture introuvable."
        )

    def get(self, request, invoice_id):
        return invoice_download(self.invoice)
