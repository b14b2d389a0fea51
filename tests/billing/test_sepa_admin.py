"""« Prélèvements SEPA » in the billing admin: 403 without a billing permission, a batch
prepared from the form, its file downloaded, settled, a rejection recorded, each act in
the billing journal; bad input (date in the past, family without mandate, invoice
already in a batch) shown in French with nothing changed."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espace_prive.billing import services
from espace_prive.billing.models import BillingAuditEntry, Debit, DebitBatch, Payment
from espace_prive.billing.sepa_rules import is_business_day
from tests.admin_access import assert_admin_denied
from tests.billing.factories import make_billing_setup
from tests.billing.sepa_helpers import issue_december, mandate_family, sepa_regie
from tests.conftest import sign_in
from tests.factories import make_staff_with_perms

pytestmark = pytest.mark.django_db

UUID = "00000000-0000-4000-8000-000000000000"
ROUTES = [
    ("billing_admin:sepa_batches", ()),
    ("billing_admin:sepa_batch_add", ()),
    ("billing_admin:sepa_batch", (UUID,)),
]
STAFF = ("billing.view_payment", "billing.record_payment", "billing.view_invoice")


def text(response):
    return html.unescape(response.content.decode())


def client_for(*perms):
    return sign_in(Client(), make_staff_with_perms(*perms))


def next_business_day(days=3):
    """A bank business day ``days`` or more from today (Europe/Paris)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    while not is_business_day(day):
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def setup():
    setup = make_billing_setup()
    sepa_regie(setup["regie"])
    return setup


@pytest.mark.parametrize("perms", [(), ("bookings.view_booking", "families.view_family")])
def test_without_a_billing_permission_every_sepa_route_is_403(perms):
    client = client_for(*perms)
    for name, args in ROUTES:
        assert_admin_denied(client, reverse(name, args=args))
    response = client.post(reverse("billing_admin:sepa_debit_reject", args=[UUID]), {})
    assert response.status_code == 403


def test_viewing_is_not_enough_to_prepare_or_settle(setup):
    family = mandate_family(setup)
    invoice = issue_december(setup)[family.pk]
    batch = services.sepa_batch_create(
        regie=setup["regie"],
        collection_date=next_business_day(),
        invoices=[invoice],
        actor=None,
    )
    viewer = client_for("billing.view_payment")
    assert viewer.get(reverse("billing_admin:sepa_batches")).status_code == 200
    url = reverse("billing_admin:sepa_batch", args=[batch.public_id])
    page = text(viewer.get(url))
    assert invoice.number in page and "Télécharger" not in page
    assert viewer.post(url, {"action": "telecharger"}).status_code == 302
    assert viewer.get(reverse("billing_admin:sepa_batch_add")).status_code == 302
    batch.refresh_from_db()
    assert batch.state == "brouillon" and not batch.xml


def test_prepare_download_settle_and_reject_from_the_admin(
    setup, django_capture_on_commit_callbacks
):
    family = mandate_family(setup)
    without = mandate_family(setup, mandate=False)
    invoices = issue_december(setup)
    invoice = invoices[family.pk]
    client = client_for(*STAFF)
    form = text(client.get(reverse("billing_admin:sepa_batch_add")))
    assert invoice.number in form and invoices[without.pk].number not in form
    day = next_business_day()
    response = client.post(
        reverse("billing_admin:sepa_batch_add"),
        {
            "regie": setup["regie"].pk,
            "collection_date": day.isoformat(),
            "invoices": [invoice.public_id],
        },
    )
    batch = DebitBatch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{batch.public_id}/")
    url = reverse("billing_admin:sepa_batch", args=[batch.public_id])
    assert "Prélèvements SEPA" in text(client.get(reverse("billing_admin:sepa_batches")))

    download = client.post(url, {"action": "telecharger"})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/xml")
    assert "attachment" in download["Content-Disposition"]
    assert b"pain.008.001.02" in download.content
    assert client.post(url, {"action": "telecharger"}).content == download.content

    too_soon = text(client.post(url, {"action": "regler"}, follow=True))
    assert f"Le prélèvement a lieu le {day:%d/%m/%Y}" in too_soon
    assert not Payment.objects.exists()
    services.sepa_batch_settle(batch=batch, actor=None, today=day)

    debit = Debit.objects.get()
    reject_url = reverse("billing_admin:sepa_debit_reject", args=[debit.public_id])
    bad = client.post(reject_url, {"reason": "ZZ99", "rejected_on": day.isoformat()})
    assert bad.status_code == 400 and "Motif du rejet" in text(bad)
    debit.refresh_from_db()
    assert debit.state == "preleve"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reject_url, {"reason": "MS02", "rejected_on": timezone.localdate()})
    assert done.status_code == 302
    debit.refresh_from_db()
    assert debit.state == "rejete" and services.invoice_remaining(invoice) == invoice.total
    page = text(client.get(url))
    assert "MS02 — refus du débiteur" in page
    actions = set(BillingAuditEntry.objects.values_list("action", flat=True))
    assert {"prelevements_prepares", "prelevements_exportes", "prelevement_rejete"} <= actions
    entry = BillingAuditEntry.objects.get(action="prelevements_prepares")
    assert entry.actor is not None and entry.ip_address == "127.0.0.1"


def test_bad_input_is_shown_in_french_and_nothing_changes(setup):
    family = mandate_family(setup)
    without = mandate_family(setup, mandate=False)
    invoices = issue_december(setup)
    client = client_for(*STAFF)
    url = reverse("billing_admin:sepa_batch_add")
    data = {
        "regie": setup["regie"].pk,
        "collection_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "invoices": [invoices[family.pk].public_id],
    }
    past = client.post(url, data)
    assert past.status_code == 400 and "doit être dans le futur" in text(past)
    data["collection_date"] = next_business_day().isoformat()
    data["invoices"] = [invoices[without.pk].public_id]
    no_mandate = client.post(url, data)
    assert no_mandate.status_code == 400
    assert f"La famille {without.reference} (facture {invoices[without.pk].number}) n'a pas " in (
        text(no_mandate)
    )
    assert not DebitBatch.objects.exists()
    data["invoices"] = [invoices[family.pk].public_id]
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400 and "est déjà dans le lot de prélèvements du" in text(again)
    assert DebitBatch.objects.count() == 1 and Debit.objects.count() == 1
    batch = DebitBatch.objects.get()
    # The service itself names the batch when an invoice is taken already.
    with pytest.raises(Exception, match="déjà dans le lot de prélèvements"):
        services.sepa_batch_create(
            regie=setup["regie"],
            collection_date=next_business_day(7),
            invoices=[invoices[family.pk]],
            actor=None,
        )
    page = reverse("billing_admin:sepa_batch", args=[batch.public_id])
    given_up = client.post(page, {"action": "abandonner"})
    assert given_up.status_code == 302 and not DebitBatch.objects.exists()
