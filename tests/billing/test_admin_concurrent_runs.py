"""Two runs of one régie (two services) issued at the same time by two background
tasks (own PostgreSQL connections): the régie's invoice numbers have no gap and no
duplicate."""

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connections

from espace_prive.billing import services
from espace_prive.billing.models import BilledService, Invoice, InvoiceState
from espace_prive.catalogue.models import Service
from tests.billing.factories import DECEMBER, book, make_billed_family, make_billing_setup

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.DATABASE_IS_POSTGRES, reason="needs real row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

N = 8
TODAY = datetime.date(2027, 1, 4)


def test_two_runs_issued_at_once_share_one_unbroken_sequence():
    canteen = make_billing_setup()
    regie = canteen["regie"]
    # A second service of the same régie: its own calendar, billed by the same régie.
    other = make_billing_setup()
    BilledService.objects.filter(service=other["service"]).update(regie=regie)
    runs = []
    for calendar in (canteen, other):
        for _ in range(N):
            family = make_billed_family(calendar=calendar)
            book(family.children.get(), calendar, datetime.date(2026, 12, 3))
        run = services.run_create(
            regie=regie, month=DECEMBER, services=[calendar["service"]], actor=None
        )
        runs.append(services.run_draft(run=run))
    assert Service.objects.filter(billing__regie=regie).count() == 2
    barrier = threading.Barrier(2, timeout=60)
    errors = []

    def issue(run):
        try:
            connections["default"].ensure_connection()
            barrier.wait()
            services.run_issue(run=run, actor=None, today=TODAY)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    issued = Invoice.objects.filter(regie=regie, state=InvoiceState.ISSUED)
    assert issued.count() == 2 * N
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, 2 * N + 1))
    assert {run.invoices.filter(state="emise").count() for run in runs} == {N}
