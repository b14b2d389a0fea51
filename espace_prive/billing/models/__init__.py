"""Models of the billing app: régies and their sequences, runs and invoices, payments."""

from .audit import BillingAction, BillingAuditEntry
from .certificates import TaxCertificate
from .invoices import (
    BillingAnomaly,
    BillingRun,
    BillingRunState,
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceService,
    InvoiceState,
    LineReason,
    RunJob,
)
from .notices import InvoiceNotice, NoticeChannel, NoticeKind
from .payments import Allocation, CardCheckout, CheckoutState, Payment, PaymentMethod, StripeEvent
from .regies import BilledService, InvoiceSequence, Regie, SequenceKind
from .sepa import Debit, DebitBatch, DebitBatchState, DebitState, RejectReason, SequenceType

__all__ = [
    "Allocation",
    "BilledService",
    "BillingAction",
    "BillingAnomaly",
    "BillingAuditEntry",
    "BillingRun",
    "BillingRunState",
    "CardCheckout",
    "CheckoutState",
    "CreditNote",
    "Debit",
    "DebitBatch",
    "DebitBatchState",
    "DebitState",
    "Invoice",
    "InvoiceLine",
    "InvoiceNotice",
    "InvoiceSequence",
    "InvoiceService",
    "InvoiceState",
    "LineReason",
    "NoticeChannel",
    "NoticeKind",
    "Payment",
    "PaymentMethod",
    "Regie",
    "RejectReason",
    "RunJob",
    "SequenceKind",
    "SequenceType",
    "StripeEvent",
    "TaxCertificate",
]
