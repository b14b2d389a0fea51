"""Models of the billing app: régies and their sequences, runs and invoices, payments."""

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
)
from .payments import Allocation, CardCheckout, CheckoutState, Payment, PaymentMethod, StripeEvent
from .regies import BilledService, InvoiceSequence, Regie, SequenceKind

__all__ = [
    "Allocation",
    "BilledService",
    "BillingAnomaly",
    "BillingRun",
    "BillingRunState",
    "CardCheckout",
    "CheckoutState",
    "CreditNote",
    "Invoice",
    "InvoiceLine",
    "InvoiceSequence",
    "InvoiceService",
    "InvoiceState",
    "LineReason",
    "Payment",
    "PaymentMethod",
    "Regie",
    "SequenceKind",
    "StripeEvent",
]
