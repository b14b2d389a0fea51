"""Models of the billing app: régies and their sequences, runs and invoices, payments."""

from .audit import BillingAction, BillingAuditEntry
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
    "InvoiceSequence",
    "InvoiceService",
    "InvoiceState",
    "LineReason",
    "Payment",
    "PaymentMethod",
    "Regie",
    "RejectReason",
    "RunJob",
    "SequenceKind",
    "SequenceType",
    "StripeEvent",
]
