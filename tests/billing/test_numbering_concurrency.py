"""N invoices issued at once by N threads (own PostgreSQL connections) get N consecutive
numbers: no gap, no duplicate. The control reads the sequence without its row lock and
shows the same harness catches the race."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.db import DatabaseError, connections

from espace_prive.billing import services
from espace_prive.billing.models import Invoice, InvoiceSequence, InvoiceState
from tests.billing.factories import DECEMBER, book, make_billed_family, make_billing_setup

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.DATABASE_IS_POSTGRES, reason="needs real row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

N = 12
TODAY = datetime.date(2027, 1, 4)


@pytest.fixture
def drafts():
    calendar = make_billing_setup()
    for _ in range(N):
        family = make_billed_family(calendar=calendar)
        book(family.children.get(), calendar, datetime.date(2026, 12, 3))
    run = services.run_create(
        regie=calendar["regie"], month=DECEMBER, services=[calendar["service"]], actor=None
    )
    services.run_draft(run=run)
    drafts = list(Invoice.objects.filter(run=run))
    assert len(drafts) == N
    return calendar["regie"], drafts


def _issue_all(drafts, *, lock):
    barrier = threading.Barrier(len(drafts), timeout=60)
    errors = []

    def pause():
        time.sleep(0.05)  # widen the window between reading and writing the sequence

    def work(invoice):
        try:
            connections["default"].ensure_connection()
            barrier.wait()
            services.invoice_issue(invoice=invoice, today=TODAY, lock=lock, pause=pause)
        except DatabaseError as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.parametrize("first_of_the_year", [True, False])
def test_concurrent_issues_get_consecutive_numbers(drafts, first_of_the_year):
    regie, invoices = drafts
    if not first_of_the_year:
        InvoiceSequence.objects.create(regie=regie, kind="facture", year=TODAY.year)
    errors = _issue_all(invoices, lock=True)
    assert errors == []
    issued = Invoice.objects.filter(regie=regie, state=InvoiceState.ISSUED)
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, N + 1))
    assert sorted(issued.values_list("number", flat=True)) == [
        f"2027-{n:06d}" for n in range(1, N + 1)
    ]
    assert InvoiceSequence.objects.get(regie=regie).last_number == N


def test_control_without_the_lock_the_harness_sees_the_race(drafts):
    regie, invoices = drafts
    # The year's sequence exists (a new row would serialise its first inserts).
    InvoiceSequence.objects.create(regie=regie, kind="facture", year=TODAY.year)
    errors = _issue_all(invoices, lock=False)
    issued = Invoice.objects.filter(regie=regie, state=InvoiceState.ISSUED).count()
    # Readers saw the same last number: the unique constraint refused the duplicates.
    assert errors and issued < N
    assert InvoiceSequence.objects.get(regie=regie).last_number < N
