"""seed_demo for the billing: the Martins' two issued months (the first paid by card,
the second due with a credit note), idempotent; seen on their « Mes factures »."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from espace_prive.accounts import demo as accounts_demo
from espace_prive.billing import services
from espace_prive.billing.demo import REGIE_NAME
from espace_prive.billing.models import (
    CreditNote,
    Invoice,
    InvoiceState,
    LineReason,
    Payment,
    Regie,
)

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Invoice.objects.values_list("number", "family__reference", "total")),
        sorted(Payment.objects.values_list("provider_reference", "amount")),
        sorted(CreditNote.objects.values_list("number", "amount")),
    )


def test_the_martins_have_a_paid_month_and_a_due_month(client):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first
    regie = Regie.objects.get(name=REGIE_NAME)
    martin = Invoice.objects.filter(
        regie=regie,
        family__reference__isnull=False,
        family__guardians__user__email=accounts_demo.FAMILY_EMAIL,
    ).order_by("month")
    # The two most recent months (the attestation fiscale's demo adds one of last year).
    paid, due = list(martin.filter(state=InvoiceState.ISSUED))[-2:]
    assert services.invoice_remaining(paid) == 0
    assert paid.allocations.get().payment.method == Payment.Method.CARD
    assert due.credit_notes.count() == 1
    assert services.invoice_remaining(due) > 0
    assert client.login(email=accounts_demo.FAMILY_EMAIL, password=accounts_demo.FAMILY_PASSWORD)
    page = client.get("/espace-famille/factures/").content.decode()
    assert paid.number in page and due.number in page
    assert "Paiement (Carte bancaire (en ligne))" in page
    if paid.month < timezone.localdate().replace(day=1):  # its attendance was taken
        present = paid.lines.get(reason=LineReason.PRESENT)  # his first day, register closed
        assert present.child.first_name == "Hugo" and present.mark.register.is_closed
        unbooked = paid.lines.get(reason=LineReason.UNBOOKED_PRESENCE)
        assert unbooked.child.first_name == "Léa" and unbooked.rate == 120
        assert unbooked.mark.register.is_closed and unbooked.booking is None
