"""A billing run costs a fixed number of queries per batch: drafting, drafting again
(with the differences from the previous draft), then issuing 20 families costs what
1 family costs (issue 14: 10,000 families in a minute)."""

import datetime

import pytest

from espace_prive.billing import services
from espace_prive.billing.models import Invoice, InvoiceState
from tests.billing.factories import (
    DECEMBER,
    book,
    make_billed_family,
    make_billing_setup,
    school_days,
)
from tests.queries import count_call

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 4)


def _run_of(count):
    """A régie of its own with ``count`` families booked on three days of December."""
    setup = make_billing_setup()
    for n in range(count):
        family = make_billed_family(calendar=setup, quotient=str(300 + 97 * n))
        child = family.children.get()
        for day in school_days(count=3):
            book(child, setup, day)
    run = services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
    )
    return setup, run


def _costs(count):
    _setup, run = _run_of(count)
    first, run = count_call(services.run_draft, run=run)
    again, run = count_call(services.run_draft, run=run)
    issue, run = count_call(services.run_issue, run=run, actor=None, today=TODAY)
    assert Invoice.objects.filter(run=run, state=InvoiceState.ISSUED).count() == count
    return first, again, issue


def test_draft_and_issue_cost_the_same_queries_for_1_and_20_families():
    one = _costs(1)
    twenty = _costs(20)
    assert twenty == one, f"draft, draft again, issue: {one} for 1 family, {twenty} for 20"


def test_a_batch_issue_keeps_each_family_previous_balance():
    setup, run = _run_of(3)
    run = services.run_issue(run=services.run_draft(run=run), actor=None, today=TODAY)
    invoices = list(Invoice.objects.filter(run=run).order_by("sequence"))
    payer = invoices[0]
    services.payment_record(
        regie=setup["regie"],
        family=payer.family,
        amount="1.00",
        method="especes",
        received_on=TODAY,
        actor=None,
    )
    january = services.run_create(
        regie=setup["regie"],
        month=datetime.date(2027, 1, 1),
        services=[setup["service"]],
        actor=None,
    )
    for invoice in invoices:
        book(invoice.family.children.get(), setup, datetime.date(2027, 1, 7))
    january = services.run_draft(run=january)
    services.run_issue(run=january, actor=None, today=datetime.date(2027, 2, 1))
    balances = {i.family_id: i.previous_balance for i in Invoice.objects.filter(run=january)}
    assert balances == {i.family_id: i.total - (1 if i.pk == payer.pk else 0) for i in invoices}
