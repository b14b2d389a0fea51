"""The family's billing pages: « Mes factures » (relevé de compte), one invoice, the
home page's balance; only the family's own issued invoices, at a fixed query cost."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import number_format

from espace_prive.billing import family_selectors, services
from espace_prive.billing.models import InvoiceState, Payment
from tests.billing.factories import book, school_days
from tests.billing.family_helpers import MONTHS, billed_account, issue_month

pytestmark = pytest.mark.django_db

STATEMENT = "/espace-famille/factures/"


def euros(amount):
    return f"{number_format(Decimal(amount), 2)} €"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_statement_lists_invoices_credit_notes_and_payments_with_the_running_balance():
    setup, family, user, (first, second) = billed_account(months=2)
    note = services.credit_note_issue(
        invoice=first, amount="1.00", reason="Repas non servi", actor=None
    )
    payment = services.payment_record(
        regie=setup["regie"],
        family=family,
        amount=first.total - Decimal("1.00"),
        method=Payment.Method.CHEQUE,
        received_on=datetime.date.today(),
        actor=None,
        reference="1234567",
    )
    [account] = family_selectors.accounts(family)
    kinds = [entry.kind for entry in account.entries]
    assert kinds == ["facture", "facture", "avoir", "paiement"]
    assert [entry.balance for entry in account.entries] == [
        first.total,
        first.total + second.total,
        first.total + second.total - 1,
        second.total,
    ]
    assert account.balance == services.family_balance(regie=setup["regie"], family=family)
    response = client_for(user).get(STATEMENT)
    assert response.status_code == 200
    content = response.content.decode()
    assert f"Solde : {euros(second.total)}" in content
    for text in (first.number, second.number, note.number, "Paiement (Chèque)"):
        assert text in content
    assert 'aria-current="page">Mes factures' in content
    assert euros(payment.amount) in content


def test_drafts_are_never_shown():
    setup, family, user, [issued] = billed_account(months=1)
    child = family.children.get()
    for day in school_days(MONTHS[1], count=2):
        book(child, setup, day)
    run = services.run_create(
        regie=setup["regie"], month=MONTHS[1], services=[setup["service"]], actor=None
    )
    services.run_draft(run=run)
    draft = family.invoices.get(state=InvoiceState.DRAFT)
    assert list(family_selectors.issued_invoices(family)) == [issued]
    assert family_selectors.unpaid_invoices(family) == [issued]
    client = client_for(user)
    assert draft.display_number not in client.get(STATEMENT).content.decode()
    assert client.get(f"{STATEMENT}{draft.public_id}/").status_code == 404
    assert client.post(f"{STATEMENT}{draft.public_id}/payer/").status_code == 404


def test_another_familys_invoice_is_not_found():
    setup, _family, _user, [invoice] = billed_account(months=1)
    _setup, _other, other_user, _ = billed_account(months=1, setup=setup)
    client = client_for(other_user)
    assert client.get(f"{STATEMENT}{invoice.public_id}/").status_code == 404
    assert client.post(f"{STATEMENT}{invoice.public_id}/payer/").status_code == 404
    assert invoice.number not in client.get(STATEMENT).content.decode()


def test_the_invoice_says_why_each_price_and_what_is_due():
    _setup, family, user, (first, second) = billed_account(months=2, children=2)
    response = client_for(user).get(f"{STATEMENT}{second.public_id}/")
    assert response.status_code == 200
    content = response.content.decode()
    groups = family_selectors.lines_by_child_and_service(
        family_selectors.invoice_for_family(family, second.public_id)
    )
    assert len(groups) == 2  # two children, one service
    for child_name, service_name, lines, subtotal in groups:
        assert f"{child_name} — {service_name}" in content
        assert subtotal == sum(line.amount for line in lines)
        for line in lines:
            assert line.pricing_label in content
    assert second.previous_balance == first.total
    assert "Solde antérieur" in content and euros(first.total) in content
    assert second.due_date.strftime("%d/%m/%Y") in content
    assert "Autres moyens de paiement" in content
    # Its PDF is one click away, and it is that invoice's.
    pdf_url = f"{STATEMENT}{second.public_id}/pdf/"
    assert f'href="{pdf_url}"' in content
    pdf = client_for(user).get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Without Stripe keys, no card payment is offered.
    assert "par carte" not in content


def test_the_home_page_shows_the_balance_and_the_unpaid_invoices():
    setup, family, user, (first, second) = billed_account(months=2)
    services.payment_record(
        regie=setup["regie"],
        family=family,
        amount=first.total,
        method=Payment.Method.CASH,
        received_on=datetime.date.today(),
        actor=None,
    )
    content = client_for(user).get("/espace-famille/").content.decode()
    assert f"Solde : {euros(second.total)}" in content
    assert second.number in content
    assert first.number not in content  # paid


def test_a_family_without_invoices_sees_an_empty_statement():
    _setup, _family, user, _ = billed_account(months=0)
    content = client_for(user).get(STATEMENT).content.decode()
    assert "Vous n'avez encore reçu aucune facture." in content
    assert "Mes factures</h2>" not in client_for(user).get("/espace-famille/").content.decode()


def _count(client, url):
    client.get(url)  # warm the caches (site settings, town name)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _documents(setup, family, invoices):
    for invoice in invoices:
        services.credit_note_issue(invoice=invoice, amount="0.50", reason="Geste", actor=None)
    services.payment_record(
        regie=setup["regie"],
        family=family,
        amount=sum(i.total for i in invoices) / 2,
        method=Payment.Method.CHEQUE,
        received_on=datetime.date.today(),
        actor=None,
    )


def test_the_billing_pages_cost_the_same_queries_for_one_invoice_or_many(
    django_assert_max_num_queries,
):
    setup, family, user, invoices = billed_account(months=1, children=2)
    _documents(setup, family, invoices)
    client = client_for(user)
    urls = [STATEMENT, f"{STATEMENT}{invoices[0].public_id}/", "/espace-famille/"]
    with_one = [_count(client, url) for url in urls]
    more = [issue_month(setup, family, month) for month in MONTHS[1:6]]
    _documents(setup, family, more)
    assert family_selectors.issued_invoices(family).count() == 6
    for url, count in zip(urls, with_one, strict=True):
        assert _count(client, url) == count, url
    with django_assert_max_num_queries(25):
        assert client.get(STATEMENT).status_code == 200


def test_the_urls_are_where_the_navigation_says():
    assert reverse("espace_prive:billing:statement") == STATEMENT
