"""Billing services: the only writers of the billing app (each one transaction)."""

from .balances import family_balance, family_statement, invoice_remaining
from .ledger import credit_note_issue, payment_record
from .lines import billable_lines, line_amount, month_bounds
from .numbering import format_number, number_next
from .runs import invoice_issue, run_create, run_draft, run_issue

__all__ = [
    "billable_lines",
    "credit_note_issue",
    "family_balance",
    "family_statement",
    "format_number",
    "invoice_issue",
    "invoice_remaining",
    "line_amount",
    "month_bounds",
    "number_next",
    "payment_record",
    "run_create",
    "run_draft",
    "run_issue",
]
