"""Billing runs: drafts with anomalies and differences, issue, never twice."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from espace_prive.billing import services
from espace_prive.billing.models import Invoice, InvoiceService, InvoiceState
from espace_prive.bookings.models import Enrolment
from tests.billing.factories import (
    DECEMBER,
    book,
    make_billed_family,
    make_billing_setup,
    make_regie,
    school_days,
)
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2027, 1, 1)
TODAY = datetime.date(2027, 1, 4)


@pytest.fixture
def setup():
    return make_billing_setup()


def new_run(setup, month=DECEMBER):
    return services.run_create(
        regie=setup["regie"], month=month, services=[setup["service"]], actor=None
    )


def test_draft_one_invoice_per_family_with_its_lines_and_no_number(setup):
    first = make_billed_family(calendar=setup, quotient="700", children=2)
    second = make_billed_family(calendar=setup, quotient="300")
    for child in first.children.all():
        for day in school_days(count=3):
            book(child, setup, day)
    book(second.children.get(), setup, school_days()[0])
    run = services.run_draft(run=new_run(setup))
    drafts = {invoice.family_id: invoice for invoice in run.invoices.all()}
    assert drafts[first.pk].total == Decimal("15.00")  # 2 children × 3 days × 2.50
    assert drafts[first.pk].lines.count() == 6
    assert drafts[second.pk].total == Decimal("1.00")
    assert all(d.state == InvoiceState.DRAFT and d.number is None for d in drafts.values())
    assert drafts[first.pk].payer_name == "Mme Anne Roux"
    assert drafts[first.pk].payer_address == f"1 rue de la Mairie\n38000 {setup['commune'].name}"


def test_redraft_lists_the_differences_from_the_previous_draft(setup):
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    thu, fri, mon, _ = school_days()
    book(child, setup, thu)
    dropped = book(child, setup, fri)
    run = services.run_draft(run=new_run(setup))
    assert run.invoices.get().changes == []  # first draft: nothing to compare with
    dropped.state, dropped.cancelled_at = "annulee", timezone.now()
    dropped.save()
    book(child, setup, mon)
    run = services.run_draft(run=run)
    invoice = run.invoices.get()
    assert [(c["day"], c["before"], c["after"]) for c in invoice.changes] == [
        (fri.isoformat(), "2.50", None),
        (mon.isoformat(), None, "2.50"),
    ]
    assert invoice.total == Decimal("5.00") and run.draft_count == 2


def test_issue_refused_while_blocking_anomalies_then_issued_after_correction(setup):
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    book(child, setup, school_days()[0])
    Enrolment.objects.filter(child=child).update(state=Enrolment.State.ENDED)
    run = services.run_draft(run=new_run(setup))
    with pytest.raises(ValidationError, match="anomalies bloquantes"):
        services.run_issue(run=run, actor=None, today=TODAY)
    assert not Invoice.objects.filter(state=InvoiceState.ISSUED).exists()
    Enrolment.objects.filter(child=child).update(state=Enrolment.State.ACCEPTED)
    run = services.run_draft(run=run)
    run = services.run_issue(run=run, actor=None, today=TODAY)
    invoice = run.invoices.get()
    assert invoice.number == "2027-000001" and run.state == "emise"


def test_issue_numbers_snapshots_and_due_date(setup):
    families = [make_billed_family(calendar=setup) for _ in range(3)]
    for family in families:
        book(family.children.get(), setup, school_days()[0])
    run = services.run_issue(
        run=services.run_draft(run=new_run(setup)), actor=make_staff(), today=TODAY
    )
    invoices = list(run.invoices.order_by("sequence"))
    assert [i.number for i in invoices] == ["2027-000001", "2027-000002", "2027-000003"]
    assert all(i.due_date == TODAY + datetime.timedelta(days=30) for i in invoices)
    assert all(i.previous_balance == 0 for i in invoices)
    assert InvoiceService.objects.count() == 3
    with pytest.raises(ValidationError, match="déjà émise"):
        services.run_draft(run=run)


def test_previous_balance_is_what_was_still_due(setup):
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    book(child, setup, school_days()[0])
    book(child, setup, datetime.date(2027, 1, 4))
    december = services.run_issue(
        run=services.run_draft(run=new_run(setup)), actor=None, today=TODAY
    ).invoices.get()
    services.payment_record(
        regie=setup["regie"],
        family=family,
        amount="1.00",
        method="cheque",
        received_on=TODAY,
        actor=None,
    )
    january = services.run_issue(
        run=services.run_draft(run=new_run(setup, JANUARY)),
        actor=None,
        today=datetime.date(2027, 2, 1),
    ).invoices.get()
    assert december.total == Decimal("2.50")
    assert january.previous_balance == Decimal("1.50")


def test_never_two_invoices_for_a_family_month_service(setup):
    family = make_billed_family(calendar=setup)
    book(family.children.get(), setup, school_days()[0])
    first = services.run_issue(run=services.run_draft(run=new_run(setup)), actor=None, today=TODAY)
    services.run_issue(run=first, actor=None, today=TODAY)  # issued again: nothing more
    second = services.run_draft(run=new_run(setup))  # another run of the same month
    assert second.invoices.count() == 0
    assert Invoice.objects.filter(state=InvoiceState.ISSUED).count() == 1
    # The database refuses it even if the code forgot to check.
    other = Invoice.objects.create(
        regie=setup["regie"],
        family=family,
        month=DECEMBER,
        period_start=DECEMBER,
        period_end=datetime.date(2026, 12, 31),
        payer_name="X",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceService.objects.create(
            invoice=other, family=family, month=DECEMBER, service=setup["service"]
        )


def test_each_regie_has_its_own_sequence(setup):
    other = make_billing_setup()
    for calendar in (setup, other, setup):
        family = make_billed_family(calendar=calendar)
        book(family.children.get(), calendar, school_days()[0])
    for calendar in (setup, other):
        services.run_issue(run=services.run_draft(run=new_run(calendar)), actor=None, today=TODAY)
    numbers = {
        regie: sorted(Invoice.objects.filter(regie=regie).values_list("number", flat=True))
        for regie in (setup["regie"], other["regie"])
    }
    assert numbers == {
        setup["regie"]: ["2027-000001", "2027-000002"],
        other["regie"]: ["2027-000001"],
    }


def test_run_refuses_a_service_the_regie_does_not_bill(setup):
    stranger = make_regie(commune=setup["commune"])
    with pytest.raises(ValidationError, match="ne facture pas"):
        services.run_create(regie=stranger, month=DECEMBER, services=[setup["service"]], actor=None)
