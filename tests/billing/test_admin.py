"""The billing's staff side in the Wagtail admin: who may open it (403 without a billing
permission, the menu hidden), a run from the admin (create → draft task → per-family
drafts → issue task), invoices, credit notes, manual payments with French errors,
receipts, the journal de caisse and the exports, the journal of billing acts."""

import datetime
import html
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from espace_prive.billing import services
from espace_prive.billing.models import (
    BillingAuditEntry,
    BillingRun,
    CardCheckout,
    CreditNote,
    Invoice,
    Payment,
    StripeEvent,
)
from tests.admin_access import assert_admin_denied
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

TODAY = datetime.date(2027, 1, 4)
ALL = (
    "billing.view_invoice",
    "billing.view_payment",
    "billing.run_billing",
    "billing.record_payment",
    "billing.view_billingauditentry",
)
UUID = "00000000-0000-4000-8000-000000000000"
ROUTES = [
    ("billing_admin:runs", ()),
    ("billing_admin:run", (UUID,)),
    ("billing_admin:run_paper_invoices", (UUID,)),
    ("billing_admin:invoices", ()),
    ("billing_admin:invoice", (UUID,)),
    ("billing_admin:invoice_pdf", (UUID,)),
    ("billing_admin:tax_certificates", ()),
    ("billing_admin:tax_certificate_pdf", (UUID,)),
    ("billing_admin:payments", ()),
    ("billing_admin:payment_add", ()),
    ("billing_admin:payment", (UUID,)),
    ("billing_admin:cash_journal", ()),
    ("billing_admin:exports", ()),
    ("billing_admin:review", ()),
    ("billing_admin:audit", ()),
]


def text(response):
    return html.unescape(response.content.decode())


def client_for(*perms):
    return sign_in(Client(), make_staff_with_perms(*perms))


@pytest.fixture
def setup():
    return make_billing_setup()


def billed(setup, days=3, **fields):
    family = make_billed_family(calendar=setup, **fields)
    for day in school_days(count=days):
        book(family.children.get(), setup, day)
    return family


def issued_invoice(setup, family):
    run = services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
    )
    services.run_issue(run=services.run_draft(run=run), actor=None, today=TODAY)
    return Invoice.objects.get(run=run, family=family)


@pytest.mark.parametrize("perms", [(), ("bookings.view_booking", "families.view_family")])
def test_without_a_billing_permission_every_billing_route_is_403(perms):
    client = client_for(*perms)
    for name, args in ROUTES:
        assert_admin_denied(client, reverse(name, args=args))
    home = text(client.get(reverse("wagtailadmin_home")))
    assert "Facturation" not in home


def test_menu_shows_what_each_permission_opens():
    viewer = client_for("billing.view_invoice")
    home = text(viewer.get(reverse("wagtailadmin_home")))
    assert "Facturation" in home
    assert viewer.get(reverse("billing_admin:invoices")).status_code == 200
    # Holding a billing permission, not this one: Wagtail's refusal, nothing shown.
    refused = viewer.get(reverse("billing_admin:payments"))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert viewer.get(reverse("billing_admin:audit")).status_code == 302
    response = viewer.post(reverse("billing_admin:runs"), {})
    assert response.status_code == 302 and not BillingRun.objects.exists()


def test_a_run_from_the_admin_draft_then_issue_as_tasks(setup, django_capture_on_commit_callbacks):
    family = billed(setup)
    client = client_for(*ALL)
    response = client.post(
        reverse("billing_admin:runs"),
        {"regie": setup["regie"].pk, "month": "2026-12", "services": [setup["service"].pk]},
    )
    run = BillingRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"{run.public_id}/")
    url = reverse("billing_admin:run", args=[run.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "calculer"})
    run.refresh_from_db()
    assert run.draft_count == 1 and run.job == ""
    page = text(client.get(url))
    assert "Mme Anne Roux" in page and "7,50 €" in page and "PROVISOIRE" in page
    draft = Invoice.objects.get(run=run)
    detail = text(client.get(reverse("billing_admin:invoice", args=[draft.public_id])))
    assert detail.count("Réservé") == 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "emettre"})
    run.refresh_from_db()
    invoice = Invoice.objects.get(run=run, family=family)
    assert run.state == "emise" and invoice.number
    # Issued: the draft buttons are gone, a second issue changes nothing.
    assert "Recalculer" not in text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "calculer"})
    assert Invoice.objects.filter(family=family).count() == 1
    actions = list(BillingAuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "facturation_creee",
        "brouillon_demande",
        "brouillon_calcule",
        "emission_demandee",
        "facturation_emise",
    ]
    entry = BillingAuditEntry.objects.get(action="emission_demandee")
    assert entry.actor.email and entry.ip_address == "127.0.0.1"


def test_run_creation_refuses_bad_input_in_french(setup):
    client = client_for(*ALL)
    url = reverse("billing_admin:runs")
    response = client.post(url, {"regie": setup["regie"].pk, "month": "décembre"})
    assert response.status_code == 400 and not BillingRun.objects.exists()
    data = {"regie": setup["regie"].pk, "month": "2026-12", "services": [setup["service"].pk]}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 400 and "déjà en brouillon" in text(again)
    assert BillingRun.objects.count() == 1


def test_issue_refused_with_blocking_anomalies_is_shown(setup):
    family = billed(setup)
    enrolment = family.children.get().enrolments.get()
    enrolment.state, enrolment.decided_at = "en_attente", None
    enrolment.save()
    run = services.run_draft(
        run=services.run_create(
            regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
        )
    )
    client = client_for(*ALL)
    url = reverse("billing_admin:run", args=[run.public_id])
    assert "sans inscription acceptée" in text(client.get(url))
    page = text(client.post(url, {"action": "emettre"}, follow=True))
    assert "anomalies bloquantes" in page
    run.refresh_from_db()
    assert run.state == "brouillon" and run.job == ""


def test_credit_note_from_the_invoice_page(setup):
    family = billed(setup)
    invoice = issued_invoice(setup, family)
    client = client_for(*ALL)
    url = reverse("billing_admin:invoice", args=[invoice.public_id])
    bad = client.post(url, {"amount": "8.00", "reason": "Repas non servi"})
    assert bad.status_code == 400 and "dépasse" in text(bad)
    assert client.post(url, {"amount": "2.50", "reason": ""}).status_code == 400
    assert not CreditNote.objects.exists()
    assert client.post(url, {"amount": "2.50", "reason": "Repas non servi"}).status_code == 302
    note = CreditNote.objects.get()
    assert note.invoice == invoice and note.reason == "Repas non servi"
    page = text(client.get(url))
    assert note.number in page and "5,00 €" in page  # remaining due
    assert BillingAuditEntry.objects.filter(action="avoir", credit_note=note).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "0"}, "supérieur à 0 €"),
        ({"amount": "-5"}, "supérieur à 0 €"),
        ({"amount": "-5", "is_refund": "", "method": "cheque"}, "supérieur à 0 €"),
        ({"amount": "5", "is_refund": "on"}, "montant négatif"),
        ({"amount": "9.00"}, "dépasse le solde dû (7.50 €)"),
        ({"family": "INCONNUE"}, "Aucune famille"),
        ({"method": "carte"}, "Sélectionnez un choix valide"),
        ({"amount": "abc"}, "Saisissez un nombre"),
    ],
)
def test_bad_manual_payments_are_refused_in_french(setup, data, message):
    family = billed(setup)
    issued_invoice(setup, family)
    client = client_for(*ALL)
    form = {
        "regie": setup["regie"].pk,
        "family": family.reference,
        "method": "cheque",
        "amount": "5.00",
        "received_on": "2027-01-05",
        **data,
    }
    response = client.post(reverse("billing_admin:payment_add"), form)
    assert response.status_code == 400
    assert message in text(response)
    assert not Payment.objects.exists()


def test_manual_payment_on_a_chosen_invoice_then_receipt_and_refund(setup):
    family = billed(setup, days=2)
    first = issued_invoice(setup, family)
    client = client_for(*ALL)
    add = reverse("billing_admin:payment_add")
    form = text(client.get(add, {"famille": family.reference, "facture": first.public_id}))
    assert first.number in form
    response = client.post(
        add,
        {
            "regie": setup["regie"].pk,
            "family": family.reference,
            "method": "cesu",
            "amount": "5.00",
            "received_on": "2027-01-05",
            "reference": "CESU 778",
            "invoices": [first.public_id],
        },
    )
    payment = Payment.objects.get()
    assert response.status_code == 302
    receipt = text(client.get(reverse("billing_admin:payment", args=[payment.public_id])))
    assert "Reçu" in receipt and f"Facture {first.number}" in receipt and "CESU 778" in receipt
    refund = client.post(
        add,
        {
            "regie": setup["regie"].pk,
            "family": family.reference,
            "method": "especes",
            "amount": "-1.00",
            "is_refund": "on",
            "received_on": "2027-01-05",
        },
    )
    assert refund.status_code == 302
    assert services.family_balance(regie=setup["regie"], family=family) == Decimal("1.00")
    kinds = set(BillingAuditEntry.objects.values_list("action", flat=True))
    assert {"paiement", "remboursement"} <= kinds


def _pay(setup, family, amount, method, day=TODAY, **kwargs):
    return services.payment_record(
        regie=setup["regie"],
        family=family,
        amount=amount,
        method=method,
        received_on=day,
        actor=None,
        confirm_overpayment=True,
        **kwargs,
    )


def test_cash_journal_per_method_on_screen_and_as_csv(setup):
    family = billed(setup)
    issued_invoice(setup, family)
    _pay(setup, family, "2.00", "cheque", reference="=HYPERLIEN()")
    _pay(setup, family, "3.50", "cheque")
    _pay(setup, family, "1.00", "especes")
    _pay(setup, family, "-0.50", "especes", is_refund=True)
    _pay(setup, family, "9.00", "especes", day=TODAY + datetime.timedelta(days=1))
    client = client_for("billing.view_payment")
    url = reverse("billing_admin:cash_journal")
    query = {"regie": setup["regie"].pk, "day": TODAY.isoformat()}
    page = text(client.get(url, query))
    assert "5,50 €" in page and "0,50 €" in page and "6,00 €" in page
    csv = client.get(url, {**query, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode("utf-8-sig")
    assert "Chèque;2;5,50" in body and "Espèces;2;0,50" in body
    assert "Total de la journée;4;6,00" in body
    assert "'=HYPERLIEN()" in body and "9,00" not in body
    assert client.get(url, {"regie": "x", "day": "demain"}).status_code == 400


def test_accounting_exports_of_invoices_and_payments(setup):
    family = billed(setup)
    invoice = issued_invoice(setup, family)
    _pay(setup, family, "2.00", "virement", reference="VIR 1")
    issued_on = invoice.issued_at.astimezone(datetime.UTC).date()
    query = {"since": (issued_on - datetime.timedelta(days=1)).isoformat()}
    query["until"] = (issued_on + datetime.timedelta(days=1)).isoformat()
    client = client_for("billing.view_invoice", "billing.view_payment")
    url = reverse("billing_admin:exports")
    invoices = client.get(url, {"what": "factures", **query}).content.decode("utf-8-sig")
    lines = invoices.strip().split("\r\n")
    assert lines[0].startswith("Numéro;Émise le;Mois facturé")
    assert lines[1].startswith(f"{invoice.number};") and ";7,50;0,00;0,00;2,00;5,50;" in lines[1]
    payments = client.get(
        url, {"what": "paiements", "since": "2027-01-01", "until": "2027-01-31"}
    ).content.decode("utf-8-sig")
    assert "04/01/2027;" in payments and "Virement;VIR 1;2,00;non;" in payments
    assert f"{invoice.number} (2,00)" in payments
    bad = client.get(url, {"what": "factures", "since": "2027-02-01", "until": "2027-01-01"})
    assert bad.status_code == 400 and "après la date de fin" in text(bad)
    only_invoices = client_for("billing.view_invoice")
    refused = only_invoices.get(url, {"what": "paiements", **query})
    assert refused.status_code == 400 and "pas accès" in text(refused)


def test_stripe_events_to_review_are_listed(setup):
    family = billed(setup)
    invoice = issued_invoice(setup, family)
    checkout = CardCheckout.objects.create(
        regie=setup["regie"],
        family=family,
        amount=invoice.total,
        session_id="cs_test_review",
        state="a_verifier",
        review_note="montant 100 au lieu de 750 centimes",
    )
    StripeEvent.objects.create(
        event_id="evt_unknown",
        event_type="checkout.session.completed",
        regie=setup["regie"],
        session_id="cs_test_unknown",
        outcome="session inconnue",
        needs_review=True,
    )
    page = text(client_for("billing.view_payment").get(reverse("billing_admin:review")))
    assert checkout.review_note in page and "cs_test_unknown" in page


def test_list_pages_cost_the_same_queries_for_one_row_and_many(
    setup, django_assert_max_num_queries
):
    client = client_for(*ALL)
    family = billed(setup)
    issued_invoice(setup, family)
    _pay(setup, family, "1.00", "cheque")
    pages = [
        (reverse("billing_admin:runs"), {}),
        (reverse("billing_admin:invoices"), {"unpaid": "on"}),
        (reverse("billing_admin:payments"), {}),
        (reverse("billing_admin:audit"), {}),
        (reverse("billing_admin:cash_journal"), {"regie": setup["regie"].pk, "day": TODAY}),
    ]
    run = BillingRun.objects.get()
    pages.append((reverse("billing_admin:run", args=[run.public_id]), {}))
    counts = {}
    for url, query in pages:
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url, query).status_code == 200
        counts[url] = len(captured)
    for _ in range(5):
        other = billed(setup, days=1)
        _pay(setup, other, "1.00", "cheque", day=TODAY)
    for day in (datetime.date(2026, 11, 2), datetime.date(2026, 11, 3)):
        book(family.children.get(), setup, day)
    november = services.run_create(
        regie=setup["regie"],
        month=datetime.date(2026, 11, 1),
        services=[setup["service"]],
        actor=None,
    )
    services.run_issue(run=services.run_draft(run=november), actor=None, today=TODAY)
    for url, query in pages:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url, query).status_code == 200
