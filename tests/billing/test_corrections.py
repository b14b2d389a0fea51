"""Corrections and their consequences: a full credit note lets the month be billed
again, a partial one does not; the attestation fiscale follows the money actually
kept (late payments, reversed payments) and an issued one is flagged, never changed;
every billing act is in the billing journal."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from espace_prive.billing import services
from espace_prive.billing.models import (
    BillingAction,
    BillingAuditEntry,
    Invoice,
    InvoiceService,
    Payment,
    TaxCertificate,
)
from espace_prive.billing.services.tax import (
    childcare_paid,
    tax_certificate_issue,
    tax_certificate_outdated,
    tax_certificates_issue_year,
)
from espace_prive.families.models import Child
from tests.billing.documents_helpers import issue_month
from tests.billing.factories import DECEMBER, book, make_billed_family, make_billing_setup
from tests.billing.sepa_helpers import COLLECTION, mandate_family, sepa_regie
from tests.conftest import sign_in
from tests.factories import make_staff, make_staff_with_perms

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 4)


@pytest.fixture
def setup():
    setup = make_billing_setup()
    setup["regie"].billed_services.update(childcare_tax_credit=True)
    return setup


def _rerun(setup):
    run = services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
    )
    services.run_draft(run=run)
    return services.run_issue(run=run, actor=None, today=datetime.date(2027, 1, 20))


def _billed(setup):
    family = make_billed_family(calendar=setup)
    book(family.children.get(), setup, datetime.date(2026, 12, 3))
    book(family.children.get(), setup, datetime.date(2026, 12, 4))
    issue_month(setup, [], today=TODAY)
    return family, Invoice.objects.get(family=family)


def test_a_full_credit_note_lets_the_month_be_billed_again(setup):
    family, first = _billed(setup)
    services.credit_note_issue(invoice=first, amount="2.00", reason="Erreur de QF", actor=None)
    assert InvoiceService.objects.filter(family=family).count() == 1  # partial: still covered
    note = services.credit_note_issue(
        invoice=first, amount=first.total - Decimal("2.00"), reason="Annulation", actor=None
    )
    assert not InvoiceService.objects.filter(family=family).exists()
    released = InvoiceService.with_released.get(family=family)
    assert released.released_by == note and released.invoice == first
    entry = BillingAuditEntry.objects.get(credit_note=note)
    assert "peut être refacturé" in entry.summary
    _rerun(setup)
    second = Invoice.objects.filter(family=family).exclude(pk=first.pk).get()
    assert second.state == "emise" and second.total == first.total
    assert second.number != first.number and second.month == DECEMBER
    assert InvoiceService.objects.get(family=family).invoice == second
    assert services.family_balance(regie=setup["regie"], family=family) == second.total


def test_a_partial_credit_note_keeps_the_days_billed_once(setup):
    family, first = _billed(setup)
    services.credit_note_issue(
        invoice=first, amount=first.total - Decimal("0.01"), reason="Geste", actor=None
    )
    _rerun(setup)
    assert list(Invoice.objects.filter(family=family, state="emise")) == [first]
    # The database refuses a second active coverage of the same family, month, service.
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceService.objects.create(
            invoice=first, family=family, month=DECEMBER, service=setup["service"]
        )


@pytest.mark.skipif(not settings.DATABASE_IS_POSTGRES, reason="triggers are PostgreSQL's")
def test_a_coverage_is_released_once_and_otherwise_immutable(setup):
    family, first = _billed(setup)
    note = services.credit_note_issue(
        invoice=first, amount=first.total, reason="Annulation", actor=None
    )
    rows = InvoiceService.with_released.filter(family=family)
    for change in (
        lambda: rows.update(released_by=None),
        lambda: rows.update(month=datetime.date(2026, 11, 1)),
        lambda: rows.delete(),
    ):
        with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
            change()
    assert rows.get().released_by == note


def _young_family(setup):
    family = make_billed_family(calendar=setup)
    Child.objects.filter(family=family).update(birth_date=datetime.date(2022, 5, 5))
    return family


def _pay(setup, family, amount, on):
    return services.payment_record(
        regie=setup["regie"],
        family=family,
        amount=Decimal(amount),
        method="cheque",
        received_on=on,
        actor=None,
        confirm_overpayment=True,
    )


def _paid(setup, family, year):
    return sum(a.amount for a in childcare_paid(regie=setup["regie"], family=family, year=year))


def test_a_late_payment_counts_in_the_year_it_was_paid(setup):
    family = _young_family(setup)
    issue_month(setup, [family], today=TODAY)
    invoice = Invoice.objects.get(family=family)
    _pay(setup, family, invoice.total, datetime.date(2027, 1, 15))
    assert _paid(setup, family, 2026) == 0
    assert _paid(setup, family, 2027) == invoice.total


def test_a_reversed_payment_is_not_paid_and_an_issued_attestation_is_flagged(setup):
    family = _young_family(setup)
    issue_month(setup, [family], today=datetime.date(2026, 12, 15))
    invoice = Invoice.objects.get(family=family)
    half = (invoice.total / 2).quantize(Decimal("0.01"))
    first = _pay(setup, family, half, datetime.date(2026, 12, 20))
    _pay(setup, family, invoice.total - half, datetime.date(2026, 12, 28))
    assert _paid(setup, family, 2026) == invoice.total
    certificate = tax_certificate_issue(regie=setup["regie"], family=family, year=2026, today=TODAY)
    assert certificate.total == invoice.total and not tax_certificate_outdated(certificate)
    # The first payment (a direct debit, say) rejected in January: never kept in 2026.
    services.payment_reverse(
        payment=first, received_on=datetime.date(2027, 1, 6), actor=None, reason="Rejet AM04"
    )
    assert _paid(setup, family, 2026) == invoice.total - half
    assert _paid(setup, family, 2027) == 0
    # The attestation issued is handed out as it was, and flagged for staff.
    again = tax_certificate_issue(regie=setup["regie"], family=family, year=2026, today=TODAY)
    assert again.pk == certificate.pk and again.total == invoice.total
    assert tax_certificate_outdated(again)
    staff = sign_in(Client(), make_staff_with_perms("billing.view_invoice"))
    page = staff.get(reverse("billing_admin:tax_certificates")).content.decode()
    assert "À réémettre" in page and certificate.number in page


def test_the_staff_list_of_attestations_says_up_to_date(setup):
    family = _young_family(setup)
    issue_month(setup, [family], today=datetime.date(2026, 12, 15))
    invoice = Invoice.objects.get(family=family)
    _pay(setup, family, invoice.total, datetime.date(2026, 12, 20))
    tax_certificate_issue(regie=setup["regie"], family=family, year=2026, today=TODAY)
    staff = sign_in(Client(), make_staff_with_perms("billing.view_invoice"))
    page = staff.get(reverse("billing_admin:tax_certificates")).content.decode()
    assert "À jour" in page and "À réémettre" not in page


def test_every_billing_act_is_in_the_journal(setup):
    """Run, issue, credit note, manual payment, refund, SEPA batch, export, settlement
    and rejection, attestations in bulk: one journal row each, with who acted."""
    actor = make_staff()
    sepa_regie(setup["regie"])
    family = mandate_family(setup)
    Child.objects.filter(family=family).update(birth_date=datetime.date(2022, 5, 5))
    run = services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=actor
    )
    services.run_draft(run=run, actor=actor)
    services.run_issue(run=run, actor=actor, today=TODAY)
    invoice = Invoice.objects.get(family=family)
    services.credit_note_issue(invoice=invoice, amount="0.50", reason="Geste", actor=actor)
    services.payment_record(
        regie=setup["regie"],
        family=family,
        amount="1.00",
        method=Payment.Method.CASH,
        received_on=TODAY,
        actor=actor,
    )
    services.payment_record(
        regie=setup["regie"],
        family=family,
        amount="-0.20",
        method=Payment.Method.CASH,
        received_on=TODAY,
        actor=actor,
        is_refund=True,
    )
    batch = services.sepa_batch_create(
        regie=setup["regie"],
        collection_date=COLLECTION,
        invoices=[invoice],
        actor=actor,
        today=TODAY,
    )
    services.sepa_batch_export(batch=batch, actor=actor)
    services.sepa_batch_settle(batch=batch, actor=actor, today=COLLECTION)
    services.sepa_debit_reject(
        debit=batch.debits.get(),
        reason="AM04",
        actor=actor,
        rejected_on=COLLECTION,
        today=COLLECTION,
    )
    _pay(setup, family, "0.30", datetime.date(2025, 12, 20))
    tax_certificates_issue_year(regie=setup["regie"], year=2025, actor=actor)
    done = set(BillingAuditEntry.objects.filter(actor=actor).values_list("action", flat=True))
    assert {
        BillingAction.RUN_CREATED,
        BillingAction.RUN_DRAFTED,
        BillingAction.RUN_ISSUED,
        BillingAction.CREDIT_NOTE,
        BillingAction.PAYMENT,
        BillingAction.REFUND,
        BillingAction.SEPA_BATCH_CREATED,
        BillingAction.SEPA_EXPORTED,
        BillingAction.SEPA_SETTLED,
        BillingAction.SEPA_REJECTED,
        BillingAction.TAX_CERTIFICATES,
    } <= done
    assert TaxCertificate.objects.filter(family=family, year=2025).count() == 1
