"""Issued invoices, their lines and credit notes cannot be changed in the database:
PostgreSQL triggers refuse UPDATE and DELETE whatever the code does."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from espace_prive.billing import services
from espace_prive.billing.models import CreditNote, Invoice, InvoiceLine, InvoiceService
from tests.billing.factories import DECEMBER, book, make_billed_family, make_billing_setup
from tests.factories import make_staff

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.DATABASE_IS_POSTGRES, reason="triggers are PostgreSQL's"),
]


@pytest.fixture
def issued(db):
    calendar = make_billing_setup()
    family = make_billed_family(calendar=calendar)
    book(family.children.get(), calendar, datetime.date(2026, 12, 3))
    run = services.run_create(
        regie=calendar["regie"], month=DECEMBER, services=[calendar["service"]], actor=None
    )
    services.run_draft(run=run)
    services.run_issue(run=run, actor=None, today=datetime.date(2027, 1, 4))
    return Invoice.objects.get(run=run)


def refused(action):
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        action()


def test_issued_invoice_cannot_be_updated_nor_deleted(issued):
    refused(lambda: Invoice.objects.filter(pk=issued.pk).update(total=Decimal("0.01")))
    refused(lambda: Invoice.objects.filter(pk=issued.pk).update(state="brouillon"))
    with pytest.raises(IntegrityError), transaction.atomic():  # PROTECTed, then the trigger
        Invoice.objects.filter(pk=issued.pk).delete()
    with connection.cursor() as cursor:
        refused(lambda: cursor.execute("DELETE FROM billing_invoice WHERE id = %s", [issued.pk]))
    issued.refresh_from_db()
    assert issued.total == Decimal("2.50") and issued.number == "2027-000001"


def test_lines_of_an_issued_invoice_cannot_change_nor_be_added(issued):
    line = issued.lines.get()
    refused(lambda: InvoiceLine.objects.filter(pk=line.pk).update(amount=Decimal("0")))
    refused(lambda: InvoiceLine.objects.filter(pk=line.pk).delete())
    line.pk = None
    refused(line.save)
    refused(lambda: InvoiceService.objects.filter(invoice=issued).delete())
    assert issued.lines.count() == 1 and issued.coverage.count() == 1


def test_credit_note_cannot_change(issued):
    note = services.credit_note_issue(
        invoice=issued, amount="1.00", reason="Repas non servi", actor=make_staff()
    )
    refused(lambda: CreditNote.objects.filter(pk=note.pk).update(amount=Decimal("2.00")))
    refused(lambda: CreditNote.objects.filter(pk=note.pk).delete())
    assert CreditNote.objects.get().amount == Decimal("1.00")


def test_control_a_draft_can_be_changed_and_deleted(db):
    """The triggers only guard issued documents: drafts are recomputed freely."""
    calendar = make_billing_setup()
    family = make_billed_family(calendar=calendar)
    book(family.children.get(), calendar, datetime.date(2026, 12, 3))
    run = services.run_create(
        regie=calendar["regie"], month=DECEMBER, services=[calendar["service"]], actor=None
    )
    services.run_draft(run=run)
    draft = Invoice.objects.get(run=run)
    InvoiceLine.objects.filter(invoice=draft).update(amount=Decimal("9.99"))
    Invoice.objects.filter(pk=draft.pk).update(total=Decimal("9.99"))
    Invoice.objects.filter(pk=draft.pk).delete()
    assert not Invoice.objects.exists()
