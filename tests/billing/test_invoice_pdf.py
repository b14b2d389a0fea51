"""The invoice PDF: what it says (payer, period, lines grouped by child and service
with their price and why, previous balance, payments received since the last invoice,
total due, due date, how to pay), made once and kept in the private storage (the
database lets the PDF be set once on an issued invoice, nothing else), handed out to
its family only (another family: 404) and to staff holding a billing permission."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from espace_prive.billing import services
from espace_prive.billing.models import Invoice, InvoiceState
from espace_prive.billing.pdf import invoice_pdf_ensure
from espace_prive.billing.templatetags.billing_money import format_euros
from tests.admin_access import assert_admin_denied
from tests.billing.documents_helpers import TODAY, body, issue_month, login_for, pdf_text
from tests.billing.factories import (
    DECEMBER,
    book,
    make_billed_family,
    make_billing_setup,
    school_days,
)
from tests.conftest import sign_in
from tests.factories import make_staff_with_perms

pytestmark = pytest.mark.django_db

JANUARY = datetime.date(2027, 1, 1)


@pytest.fixture
def setup():
    return make_billing_setup()


def _url(invoice):
    return reverse("espace_prive:billing:invoice_pdf", args=[invoice.public_id])


def _text(invoice):
    invoice = invoice_pdf_ensure(invoice)
    with storages["private"].open(invoice.pdf.name, "rb") as handle:
        return pdf_text(handle.read())


def test_the_pdf_shows_the_lines_grouped_with_their_price_and_why(setup):
    family = make_billed_family(calendar=setup, children=2)
    issue_month(setup, [family])
    invoice = Invoice.objects.get(family=family)
    text = " ".join(_text(invoice).split())
    assert f"Facture n° {invoice.number}" in text
    assert "Mme Anne Roux" in text and "1 rue de la Mairie" in text
    assert "du 01/12/2026 au 31/12/2026" in text
    for child in family.children.all():
        lines = invoice.lines.filter(child=child)
        line = lines.first()
        assert f"Total {child.full_name}" in text
        child_total = sum(li.amount for li in lines)
        assert format_euros(child_total).replace("\u00a0", " ") in text
        assert line.pricing_label in text  # why this price: the grid and the QF band
        assert "Réservé" in text
    assert f"{invoice.lines.first().service_name} — Repas" in text
    total = format_euros(invoice.total).replace("\u00a0", " ")
    assert f"Total du mois {total}" in text
    assert f"Total à payer : {total} avant le {invoice.due_date:%d/%m/%Y}" in text
    assert "Comment payer" in text and "chèque" in text.lower()


def test_the_second_month_shows_the_previous_balance_and_the_payments_since(setup):
    family = make_billed_family(calendar=setup)
    issue_month(setup, [family])
    december = Invoice.objects.get(family=family)
    services.payment_record(
        regie=setup["regie"],
        family=family,
        amount=Decimal("2.00"),
        method="cheque",
        received_on=TODAY,
        actor=None,
        reference="CHQ 42",
    )
    issue_month(setup, [family], month=JANUARY, days=2, today=datetime.date(2027, 2, 2))
    january = Invoice.objects.get(family=family, month=JANUARY)
    assert january.previous_balance == december.total - Decimal("2.00")
    text = " ".join(_text(january).split())
    december_total = format_euros(december.total).replace("\u00a0", " ")
    assert f"Solde après la facture {december.number} {december_total}" in text
    assert "Paiement reçu le 04/01/2027 (Chèque) - 2,00 €" in text
    remaining = format_euros(january.previous_balance).replace("\u00a0", " ")
    assert f"Solde antérieur restant dû {remaining}" in text
    due = format_euros(january.previous_balance + january.total).replace("\u00a0", " ")
    assert f"Total à payer {due}" in text


def test_a_sepa_family_is_told_it_will_be_debited(setup):
    family = make_billed_family(
        calendar=setup,
        iban="FR1420041010050500013M02606",
        sepa_mandate_reference="RUM-0001",
        sepa_mandate_signed_on=datetime.date(2026, 9, 1),
    )
    issue_month(setup, [family])
    text = " ".join(_text(Invoice.objects.get(family=family)).split())
    assert "prélevée sur votre compte (mandat SEPA RUM-0001)" in text


def test_the_pdf_is_made_once_and_the_database_refuses_another(setup):
    family = make_billed_family(calendar=setup)
    issue_month(setup, [family])
    invoice = invoice_pdf_ensure(Invoice.objects.get(family=family))
    name = invoice.pdf.name
    assert name.startswith("factures/") and storages["private"].exists(name)
    assert invoice_pdf_ensure(invoice).pdf.name == name  # not made again
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(pdf="factures/autre.pdf")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(pdf="", total=Decimal("1.00"))


def test_a_pdf_cannot_come_with_another_change(setup):
    family = make_billed_family(calendar=setup)
    issue_month(setup, [family])
    invoice = Invoice.objects.get(family=family)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(pdf="factures/x.pdf", payer_name="Autre")
    invoice.refresh_from_db()
    assert not invoice.pdf


def test_the_task_after_the_issue_makes_the_pdfs(
    setup, settings, django_capture_on_commit_callbacks
):
    settings.BILLING_PDFS_AFTER_ISSUE = True
    families = [make_billed_family(calendar=setup) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        issue_month(setup, families)
    assert Invoice.objects.filter(state=InvoiceState.ISSUED).exclude(pdf="").count() == 2


def test_without_the_task_the_issue_makes_no_pdf(setup, django_capture_on_commit_callbacks):
    family = make_billed_family(calendar=setup)
    with django_capture_on_commit_callbacks(execute=True):
        issue_month(setup, [family])
    assert not Invoice.objects.get(family=family).pdf


def test_the_family_downloads_its_invoice_and_another_family_gets_404(setup):
    family = make_billed_family(calendar=setup)
    other = make_billed_family(calendar=setup)
    issue_month(setup, [family, other])
    invoice = Invoice.objects.get(family=family)
    client = Client()
    client.force_login(login_for(family))
    response = client.get(_url(invoice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="facture-{invoice.number}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert invoice.number in pdf_text(body(response))
    stranger = Client()
    stranger.force_login(login_for(other))
    assert stranger.get(_url(invoice)).status_code == 404
    assert not storages["private"].exists(f"factures/{invoice.regie_id}/x")


def test_a_draft_has_no_pdf(setup):
    family = make_billed_family(calendar=setup)
    run = services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
    )
    book(family.children.get(), setup, school_days()[0])
    services.run_draft(run=run)
    draft = Invoice.objects.get(family=family)
    client = Client()
    client.force_login(login_for(family))
    assert client.get(_url(draft)).status_code == 404


def test_staff_download_with_a_billing_permission_and_403_without(setup):
    family = make_billed_family(calendar=setup)
    issue_month(setup, [family])
    invoice = Invoice.objects.get(family=family)
    url = reverse("billing_admin:invoice_pdf", args=[invoice.public_id])
    assert_admin_denied(sign_in(Client(), make_staff_with_perms("families.view_family")), url)
    staff = sign_in(Client(), make_staff_with_perms("billing.view_invoice"))
    response = staff.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert invoice.number in pdf_text(body(response))
    page = staff.get(reverse("billing_admin:invoice", args=[invoice.public_id]))
    assert url in page.content.decode()
