"""Credit notes, manual payments, balance and relevé de compte."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from espace_prive.billing import services
from espace_prive.billing.models import Allocation, CreditNote, Payment
from tests.billing.factories import (
    DECEMBER,
    book,
    make_billed_family,
    make_billing_setup,
    school_days,
)
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 4)


@pytest.fixture
def account():
    """A family with two issued invoices: December 5.00 €, January 2.50 €."""
    setup = make_billing_setup()
    family = make_billed_family(calendar=setup)
    child = family.children.get()
    for day in school_days(count=2):
        book(child, setup, day)
    book(child, setup, datetime.date(2027, 1, 4))
    invoices = []
    for month, today in ((DECEMBER, TODAY), (datetime.date(2027, 1, 1), datetime.date(2027, 2, 1))):
        run = services.run_create(
            regie=setup["regie"], month=month, services=[setup["service"]], actor=None
        )
        run = services.run_issue(run=services.run_draft(run=run), actor=None, today=today)
        invoices.append(run.invoices.get())
    return setup["regie"], family, invoices


def pay(regie, family, amount, **kwargs):
    kwargs.setdefault("method", "cheque")
    return services.payment_record(
        regie=regie, family=family, amount=amount, received_on=TODAY, actor=make_staff(), **kwargs
    )


def test_credit_note_numbered_and_bounded_by_the_invoice(account):
    regie, family, (december, _january) = account
    note = services.credit_note_issue(
        invoice=december, amount="2.00", reason="Sortie annulée", actor=None, today=TODAY
    )
    assert note.number == "AV-2027-000001" and note.family == family
    with pytest.raises(ValidationError, match=r"dépasse ce qui reste de la facture \(3.00 €\)"):
        services.credit_note_issue(invoice=december, amount="3.01", reason="x", actor=None)
    services.credit_note_issue(invoice=december, amount="3.00", reason="Reste", actor=None)
    assert services.family_balance(regie=regie, family=family) == Decimal("2.50")
    for amount, reason, message in (
        ("0", "x", "positif"),
        ("1", " ", "motif"),
        ("1.001", "x", "centime"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.credit_note_issue(invoice=december, amount=amount, reason=reason, actor=None)
    assert CreditNote.objects.count() == 2


@pytest.mark.parametrize(
    ("amount", "kwargs", "message"),
    [
        ("0", {}, "supérieur à 0"),
        ("-5", {}, "supérieur à 0"),
        ("5", {"is_refund": True}, "négatif"),
        ("7.51", {}, r"dépasse le solde dû \(7.50 €\)"),
        ("1", {"method": "bitcoin"}, "moyen de paiement"),
    ],
)
def test_bad_payment_is_refused_in_french_and_nothing_stored(account, amount, kwargs, message):
    regie, family, _ = account
    with pytest.raises(ValidationError, match=message):
        pay(regie, family, amount, **kwargs)
    assert not Payment.objects.exists()


def test_payment_pays_the_oldest_invoices_first(account):
    regie, family, (december, january) = account
    pay(regie, family, "6.00", reference="Chèque 1234")
    allocations = {a.invoice_id: a.amount for a in Allocation.objects.all()}
    assert allocations == {december.pk: Decimal("5.00"), january.pk: Decimal("1.00")}
    assert services.invoice_remaining(january) == Decimal("1.50")
    assert services.family_balance(regie=regie, family=family) == Decimal("1.50")


def test_overpayment_needs_a_confirmation_and_leaves_a_credit(account):
    regie, family, _ = account
    pay(regie, family, "10.00", method="especes", confirm_overpayment=True)
    assert sum(a.amount for a in Allocation.objects.all()) == Decimal("7.50")
    assert services.family_balance(regie=regie, family=family) == Decimal("-2.50")
    refund = pay(regie, family, "-2.50", method="virement", is_refund=True)
    assert refund.allocations.count() == 0
    assert services.family_balance(regie=regie, family=family) == Decimal("0.00")


def test_statement_in_date_order_with_running_balance(account):
    regie, family, (december, _january) = account
    services.credit_note_issue(invoice=december, amount="1.00", reason="Geste", actor=None)
    pay(regie, family, "4.00")
    statement = services.family_statement(regie=regie, family=family)
    kinds = [(entry.kind, entry.debit, entry.credit, entry.balance) for entry in statement]
    assert kinds[0] == ("facture", Decimal("5.00"), Decimal("0.00"), Decimal("5.00"))
    assert statement[-1].balance == services.family_balance(regie=regie, family=family)
    assert statement[-1].balance == Decimal("2.50")
    assert {entry.kind for entry in statement} == {"facture", "avoir", "paiement"}


def test_statement_of_another_regie_is_empty(account):
    _regie, family, _ = account
    other = make_billing_setup()["regie"]
    assert services.family_statement(regie=other, family=family) == []
    assert services.family_balance(regie=other, family=family) == 0
