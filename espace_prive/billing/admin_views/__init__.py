"""Staff side of the billing in the Wagtail admin (« Facturation »): monthly runs,
invoices and credit notes, payments and receipts, the journal de caisse, accounting
exports, card payments to check, the billing journal."""

from .certificates import TaxCertificatePdfView, TaxCertificatesView
from .documents import InvoicePdfView, RunPaperInvoicesView
from .invoices import InvoiceListView, InvoiceView
from .payments import PaymentCreateView, PaymentListView, PaymentView
from .reports import AuditView, CashJournalView, ExportView, ReviewView
from .runs import RunListView, RunView
from .sepa import BatchCreateView, BatchListView, BatchView, DebitRejectView

__all__ = [
    "AuditView",
    "BatchCreateView",
    "BatchListView",
    "BatchView",
    "CashJournalView",
    "DebitRejectView",
    "ExportView",
    "InvoiceListView",
    "InvoicePdfView",
    "InvoiceView",
    "PaymentCreateView",
    "PaymentListView",
    "PaymentView",
    "ReviewView",
    "RunListView",
    "RunPaperInvoicesView",
    "RunView",
    "TaxCertificatePdfView",
    "TaxCertificatesView",
]
