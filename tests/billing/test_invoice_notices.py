"""After a run's issue, in the background: an e-mail to each family that chose paperless
invoices (once, even if the task runs again), the others' invoices in one PDF that staff
print from the run's page; a receipt e-mailed when a payment is recorded. A mail server
that fails never undoes the issue nor the payment."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from espace_prive.billing import services
from espace_prive.billing.models import Invoice, InvoiceNotice, InvoiceState
from espace_prive.billing.services.documents import run_documents
from tests.billing.documents_helpers import TODAY, body, issue_month, pdf_text
from tests.billing.factories import make_billed_family, make_billing_setup
from tests.conftest import sign_in
from tests.factories import make_staff_with_perms
from tests.test_notifications import FAILING, FailingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(settings):
    """Every attempt refused, no retry left: the failure is logged and given up."""
    FailingBackend.failures, FailingBackend.attempts = 100, 0
    settings.MAILERS = {"default": {"BACKEND": FAILING}}
    settings.NOTIFICATION_RETRY_DELAYS = []
    return FailingBackend


@pytest.fixture
def setup():
    return make_billing_setup()


def _family(setup, email, paperless):
    family = make_billed_family(calendar=setup, paperless_invoices=paperless)
    family.guardians.update(email=email)
    return family


def test_paperless_families_get_an_email_the_others_are_printed(
    setup, django_capture_on_commit_callbacks
):
    online = _family(setup, "online@example.test", True)
    paper = _family(setup, "paper@example.test", False)
    with django_capture_on_commit_callbacks(execute=True):
        run = issue_month(setup, [online, paper])
    invoice = Invoice.objects.get(family=online)
    assert [m.to for m in mail.outbox] == [["online@example.test"]]
    message = mail.outbox[0]
    assert invoice.number in message.subject and "décembre 2026" in message.subject
    assert f"/espace-famille/factures/{invoice.public_id}/pdf/" in message.body
    assert f"avant le {invoice.due_date:%d/%m/%Y}" in message.body
    channels = dict(InvoiceNotice.objects.values_list("invoice__family", "channel"))
    assert channels == {online.pk: "email", paper.pk: "papier"}
    # The task again (resumed): nobody is told twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_documents(run=run) == 0
    assert mail.outbox == [] and InvoiceNotice.objects.count() == 2


def test_a_paperless_family_without_address_is_printed(setup, django_capture_on_commit_callbacks):
    family = _family(setup, "", True)
    with django_capture_on_commit_callbacks(execute=True):
        issue_month(setup, [family])
    assert mail.outbox == []
    assert InvoiceNotice.objects.get().channel == "papier"


def test_staff_print_the_paper_invoices_of_a_run_as_one_pdf(
    setup, django_capture_on_commit_callbacks
):
    online = _family(setup, "online@example.test", True)
    papers = [_family(setup, f"p{n}@example.test", False) for n in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        run = issue_month(setup, [online, *papers])
    staff = sign_in(Client(), make_staff_with_perms("billing.view_invoice"))
    page = staff.get(reverse("billing_admin:run", args=[run.public_id])).content.decode()
    assert "Imprimer les factures papier (2)" in page
    assert "1 facture envoyée par e-mail" in page
    response = staff.get(reverse("billing_admin:run_paper_invoices", args=[run.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="factures-papier-')
    text = pdf_text(body(response))
    for family in papers:
        assert Invoice.objects.get(family=family).number in text
    assert Invoice.objects.get(family=online).number not in text
    assert text.count("Comment payer") == 2


def test_nothing_to_print_says_so(setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = issue_month(setup, [_family(setup, "online@example.test", True)])
    staff = sign_in(Client(), make_staff_with_perms("billing.view_invoice"))
    url = reverse("billing_admin:run_paper_invoices", args=[run.public_id])
    response = staff.get(url, follow=True)
    assert "Aucune facture papier à imprimer" in response.content.decode()


def test_a_mail_server_failure_does_not_undo_the_issue(
    setup,
    mail_server_down,
    django_capture_on_commit_callbacks,
):
    family = _family(setup, "online@example.test", True)
    with django_capture_on_commit_callbacks(execute=True):
        run = issue_month(setup, [family])
    run.refresh_from_db()
    assert run.state == "emise"
    assert Invoice.objects.get(family=family).state == InvoiceState.ISSUED
    assert InvoiceNotice.objects.get().channel == "email"
    assert mail.outbox == [] and mail_server_down.attempts >= 1


def test_a_manual_payment_sends_a_receipt(setup, django_capture_on_commit_callbacks):
    family = _family(setup, "online@example.test", False)
    issue_month(setup, [family])
    invoice = Invoice.objects.get(family=family)
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_record(
            regie=setup["regie"],
            family=family,
            amount=Decimal("2.00"),
            method="cheque",
            received_on=TODAY,
            actor=None,
            reference="CHQ 77",
        )
    (message,) = mail.outbox
    assert message.to == ["online@example.test"]
    assert "2,00" in message.subject
    assert "Chèque" in message.body and "CHQ 77" in message.body
    assert f"facture {invoice.number} : 2,00" in message.body
    assert "Reste à payer" in message.body


def test_a_refused_payment_or_a_refund_sends_no_receipt(setup, django_capture_on_commit_callbacks):
    family = _family(setup, "online@example.test", False)
    issue_month(setup, [family])
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ValidationError):
            services.payment_record(
                regie=setup["regie"],
                family=family,
                amount=Decimal("0"),
                method="cheque",
                received_on=TODAY,
                actor=None,
            )
        services.payment_record(
            regie=setup["regie"],
            family=family,
            amount=Decimal("-1.00"),
            is_refund=True,
            method="virement",
            received_on=datetime.date(2027, 1, 5),
            actor=None,
        )
    assert mail.outbox == []


def test_a_payment_with_a_mail_server_down_is_kept(
    setup,
    mail_server_down,
    django_capture_on_commit_callbacks,
):
    family = _family(setup, "online@example.test", False)
    issue_month(setup, [family])
    with django_capture_on_commit_callbacks(execute=True):
        payment = services.payment_record(
            regie=setup["regie"],
            family=family,
            amount=Decimal("2.00"),
            method="especes",
            received_on=TODAY,
            actor=None,
        )
    assert payment.pk and mail.outbox == []
