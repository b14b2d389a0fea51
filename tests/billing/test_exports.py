"""The accounting exports read back as CSV: every invoice, credit note and payment of
the period once, and the columns' sums equal the database's to the cent; only billing
staff download them."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espace_prive.billing import services
from espace_prive.billing.models import CreditNote, Invoice, Payment
from tests.admin_access import assert_admin_denied
from tests.billing.factories import (
    DECEMBER,
    book,
    make_billed_family,
    make_billing_setup,
    school_days,
)
from tests.conftest import sign_in
from tests.factories import make_staff_with_perms, make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 4)


def _rows(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:]), delimiter=";"))


def _euros(value):
    return Decimal(value.replace(",", "."))


@pytest.fixture
def month():
    """Seven families at different QFs, issued, with credit notes, payments, a refund."""
    setup = make_billing_setup()
    families = []
    for index, quotient in enumerate(("310", "455", "700", "890", "1250", "1999", "2400")):
        family = make_billed_family(calendar=setup, quotient=quotient, children=1 + index % 2)
        for child in family.children.all():
            for day in school_days(count=3 + index):
                book(child, setup, day)
        families.append(family)
    run = services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
    )
    services.run_issue(run=services.run_draft(run=run), actor=None, today=TODAY)
    invoices = list(Invoice.objects.filter(run=run).order_by("pk"))
    for invoice in invoices[:3]:
        services.credit_note_issue(invoice=invoice, amount="0.33", reason="Geste", actor=None)
    for index, family in enumerate(families):
        services.payment_record(
            regie=setup["regie"],
            family=family,
            amount=Decimal("1.17") * (index + 1),
            method="cheque" if index % 2 else "virement",
            received_on=TODAY,
            actor=None,
            confirm_overpayment=True,
        )
    services.payment_record(
        regie=setup["regie"],
        family=families[0],
        amount="-0.45",
        method="virement",
        received_on=TODAY,
        actor=None,
        is_refund=True,
    )
    return setup, families, invoices


def _period(invoice):
    day = timezone.localtime(invoice.issued_at).date()
    return {"since": day.isoformat(), "until": day.isoformat()}


def test_the_csv_sums_are_the_databases_to_the_cent(month):
    _setup, _families, invoices = month
    staff = make_staff_with_perms("billing.view_invoice", "billing.view_payment")
    client = sign_in(Client(), staff)
    url = reverse("billing_admin:exports")
    rows = _rows(client.get(url, {"what": "factures", **_period(invoices[0])}))
    assert sorted(row["Numéro"] for row in rows) == sorted(i.number for i in invoices)
    total = Invoice.objects.aggregate(total=Sum("total"))["total"]
    assert sum(_euros(row["Total"]) for row in rows) == total
    assert sum(_euros(row["Avoirs"]) for row in rows) == Decimal("0.99")
    paid = Payment.objects.filter(is_refund=False).aggregate(s=Sum("allocations__amount"))["s"]
    assert sum(_euros(row["Payé"]) for row in rows) == paid
    assert sum(_euros(row["Reste dû"]) for row in rows) == total - Decimal("0.99") - paid
    notes = _rows(client.get(url, {"what": "avoirs", **_period(invoices[0])}))
    assert sorted(row["Numéro"] for row in notes) == sorted(
        CreditNote.objects.values_list("number", flat=True)
    )
    assert {row["Facture corrigée"] for row in notes} == {i.number for i in invoices[:3]}
    assert sum(_euros(row["Montant"]) for row in notes) == Decimal("0.99")
    payments = _rows(
        client.get(url, {"what": "paiements", "since": "2027-01-04", "until": "2027-01-04"})
    )
    assert len(payments) == Payment.objects.count() == 8
    assert sum(_euros(row["Montant"]) for row in payments) == Decimal("1.17") * 28 - Decimal("0.45")
    assert [row["Remboursement"] for row in payments].count("oui") == 1


def test_only_billing_staff_download_the_exports(month):
    _setup, _families, invoices = month
    url = reverse("billing_admin:exports")
    query = {"what": "factures", **_period(invoices[0])}
    for client in (
        sign_in(Client(), make_staff_with_perms()),
        sign_in(Client(), make_staff_with_perms("bookings.view_booking")),
    ):
        assert_admin_denied(client, url + "?what=factures")
    family_client = Client()
    family_client.force_login(make_user())
    response = family_client.get(url, query)
    assert response.status_code in (302, 403)
    assert invoices[0].number not in response.content.decode()
    payments_only = sign_in(Client(), make_staff_with_perms("billing.view_payment"))
    for what in ("factures", "avoirs"):
        refused = payments_only.get(url, {**query, "what": what})
        assert refused.status_code == 400 and invoices[0].number not in refused.content.decode()
