"""Billing services: the only writers of the billing app (each one transaction)."""

from .balances import family_balance, family_statement, invoice_remaining
from .jobs import run_draft_enqueue, run_issue_enqueue, run_job_resume
from .ledger import credit_note_issue, payment_record, payment_reverse
from .lines import billable_lines, line_amount, month_bounds
from .numbering import format_number, number_next
from .runs import (
    invoice_issue,
    run_create,
    run_draft,
    run_draft_continue,
    run_draft_start,
    run_draft_step,
    run_issue,
    run_issue_continue,
    run_issue_start,
    run_task_failed,
)
from .sepa import (
    sepa_batch_cancel,
    sepa_batch_create,
    sepa_batch_export,
    sepa_batch_settle,
    sepa_debit_reject,
)

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
    "payment_reverse",
    "run_create",
    "run_draft",
    "run_draft_continue",
    "run_draft_enqueue",
    "run_draft_start",
    "run_draft_step",
    "run_issue",
    "run_issue_continue",
    "run_issue_enqueue",
    "run_issue_start",
    "run_job_resume",
    "run_task_failed",
    "sepa_batch_cancel",
    "sepa_batch_create",
    "sepa_batch_export",
    "sepa_batch_settle",
    "sepa_debit_reject",
]
