"""The billing API of a family: invoices (list, detail), statement, payments, starting a
card payment; another family's invoice is a 404; the amounts are the pages' amounts."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from espace_prive.billing import services
from espace_prive.billing.models import CardCheckout, Payment
from tests.billing.fake_stripe import FakeStripe
from tests.billing.family_helpers import MONTHS, billed_account, issue_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    setup, family, user, invoices = billed_account(months=2)
    services.credit_note_issue(invoice=invoices[0], amount="1.00", reason="Repas", actor=None)
    services.payment_record(
        regie=setup["regie"],
        family=family,
        amount="2.00",
        method=Payment.Method.CHEQUE,
        received_on=timezone.localdate(),
        actor=None,
        reference="CHQ 42",
    )
    client = APIClient()
    client.force_authenticate(user)
    return setup, family, client, invoices


@pytest.fixture
def stripe_api(monkeypatch, settings):
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_local")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "whsec_api")
    with FakeStripe() as fake:
        settings.STRIPE_API_BASE = fake.url
        yield fake


def test_invoices_list_and_detail(account):
    _setup, _family, client, (first, second) = account
    listed = client.get("/api/v1/invoices/").json()
    assert [row["number"] for row in listed["results"]] == [second.number, first.number]
    row = listed["results"][1]
    assert Decimal(row["credited"]) == Decimal("1.00")
    assert Decimal(row["remaining"]) == first.total - Decimal("3.00")
    detail = client.get(f"/api/v1/invoices/{second.public_id}/").json()
    assert Decimal(detail["previous_balance"]) == first.total
    assert len(detail["lines"]) == second.lines.count()
    assert all(line["pricing_label"] for line in detail["lines"])
    assert detail["payer_name"] == second.payer_name


def test_statement_and_payments(account):
    setup, family, client, (first, second) = account
    [statement] = client.get("/api/v1/statement/").json()
    assert statement["regie"]["name"] == setup["regie"].name
    assert [e["kind"] for e in statement["entries"]] == ["facture", "facture", "avoir", "paiement"]
    balance = first.total + second.total - Decimal("3.00")
    assert (
        Decimal(statement["balance"])
        == balance
        == services.family_balance(regie=setup["regie"], family=family)
    )
    assert statement["card_payment"] is False
    payments = client.get("/api/v1/payments/").json()["results"]
    assert [(p["method"], p["amount"], p["reference"]) for p in payments] == [
        ("cheque", "2.00", "CHQ 42")
    ]


def test_another_familys_invoice_is_404_and_its_lists_are_its_own(account):
    setup, _family, _client, (first, _second) = account
    _setup, _other, other_user, _ = billed_account(months=1, setup=setup)
    other = APIClient()
    other.force_authenticate(other_user)
    response = other.get(f"/api/v1/invoices/{first.public_id}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert first.number not in other.get("/api/v1/invoices/").content.decode()
    assert "CHQ 42" not in other.get("/api/v1/payments/").content.decode()
    response = other.post(
        "/api/v1/payments/checkout/", {"invoice": str(first.public_id)}, format="json"
    )
    assert response.status_code == 404
    assert not CardCheckout.objects.exists()


def test_checkout_starts_a_card_payment_of_what_is_due(account, stripe_api):
    setup, family, client, (first, second) = account
    response = client.post("/api/v1/payments/checkout/", {}, format="json")
    assert response.status_code == 201, response.json()
    checkout = CardCheckout.objects.get(family=family)
    assert response.json() == {
        "public_id": str(checkout.public_id),
        "amount": str(checkout.amount),
        "url": f"http://stripe.test/pay/{checkout.session_id}",
    }
    assert checkout.amount == services.family_balance(regie=setup["regie"], family=family)
    one = client.post(
        "/api/v1/payments/checkout/", {"invoice": str(second.public_id)}, format="json"
    )
    assert Decimal(one.json()["amount"]) == second.total
    assert not Payment.objects.filter(method=Payment.Method.CARD).exists()
    assert first.total > 0


def test_checkout_refusals_are_french_and_change_nothing(account, monkeypatch):
    _setup, _family, client, _invoices = account
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    response = client.post("/api/v1/payments/checkout/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field_errors"] == [
        "Le paiement par carte n'est pas proposé par cette régie."
    ]
    response = client.post("/api/v1/payments/checkout/", {"montant": "1"}, format="json")
    assert response.status_code == 400 and "montant" in response.json()["error"]["fields"]
    response = client.post("/api/v1/payments/checkout/", {"invoice": "x"}, format="json")
    assert response.status_code == 400
    assert not CardCheckout.objects.exists()


def test_the_invoice_list_costs_the_same_queries_for_one_or_many(django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    setup, family, user, _invoices = billed_account(months=1)
    client = APIClient()
    client.force_authenticate(user)
    urls = [
        "/api/v1/invoices/",
        "/api/v1/statement/",
        "/api/v1/payments/",
        "/api/v1/credit-notes/",
    ]
    services.credit_note_issue(invoice=_invoices[0], amount="0.50", reason="Geste", actor=None)
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    for month in MONTHS[1:5]:
        invoice = issue_month(setup, family, month)
        services.credit_note_issue(invoice=invoice, amount="0.50", reason="Geste", actor=None)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_the_invoice_pdf_is_the_stored_one_and_another_family_gets_404(account):
    setup, _family, client, (first, _second) = account
    response = client.get(f"/api/v1/invoices/{first.public_id}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"facture-{first.number}.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    first.refresh_from_db()
    assert first.pdf  # made lazily, then kept
    again = client.get(f"/api/v1/invoices/{first.public_id}/pdf/")
    assert b"".join(again.streaming_content) == body
    _setup, _other, other_user, _ = billed_account(months=1, setup=setup)
    other = APIClient()
    other.force_authenticate(other_user)
    response = other.get(f"/api/v1/invoices/{first.public_id}/pdf/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_credit_notes_are_listed_with_their_kind_and_invoice(account):
    _setup, _family, client, (first, _second) = account
    [note] = client.get("/api/v1/credit-notes/").json()["results"]
    assert note["kind"] == "avoir"
    assert (note["invoice"], note["invoice_number"], note["amount"]) == (
        str(first.public_id),
        first.number,
        "1.00",
    )
    invoices = client.get("/api/v1/invoices/").json()["results"]
    assert {row["kind"] for row in invoices} == {"facture"}


@pytest.fixture
def paid_last_year():
    """A family whose under-6 child's childcare was paid in 2025 (a year that is over)."""
    import datetime

    from espace_prive.families.models import Child

    setup, family, user, (invoice,) = billed_account(months=1)
    setup["regie"].billed_services.update(childcare_tax_credit=True)
    Child.objects.filter(family=family).update(birth_date=datetime.date(2022, 3, 3))
    services.payment_record(
        regie=setup["regie"],
        family=family,
        amount=invoice.total,
        method=Payment.Method.CHEQUE,
        received_on=datetime.date(2025, 12, 20),
        actor=None,
    )
    client = APIClient()
    client.force_authenticate(user)
    return setup, family, client, invoice


def test_tax_certificates_list_detail_and_pdf(paid_last_year):
    from espace_prive.billing.models import TaxCertificate

    setup, family, client, invoice = paid_last_year
    regie = setup["regie"]
    [year] = client.get("/api/v1/tax-certificates/").json()
    assert (year["regie"]["public_id"], year["year"], year["available"]) == (
        str(regie.public_id),
        2025,
        True,
    )
    assert Decimal(year["total"]) == invoice.total and year["number"] is None
    base = f"/api/v1/tax-certificates/{regie.public_id}/2025/"
    detail = client.get(base).json()
    [child] = detail["children"]
    assert Decimal(child["amount"]) == invoice.total and child["birth_date"] == "2022-03-03"
    response = client.get(base + "pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attestation-fiscale-2025.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    certificate = TaxCertificate.objects.get(family=family)
    assert client.get(base).json()["number"] == certificate.number
    # A year with nothing paid, an unknown régie: 404 in the API's words.
    for url in (
        f"/api/v1/tax-certificates/{regie.public_id}/2024/",
        f"/api/v1/tax-certificates/{regie.public_id}/2024/pdf/",
        "/api/v1/tax-certificates/00000000-0000-0000-0000-000000000001/2025/",
    ):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_another_familys_tax_certificate_is_404(paid_last_year):
    from espace_prive.billing.models import TaxCertificate

    setup, _family, _client, invoice = paid_last_year
    _setup, _other, other_user, _ = billed_account(months=1, setup=setup)
    other = APIClient()
    other.force_authenticate(other_user)
    assert other.get("/api/v1/tax-certificates/").json() == []
    base = f"/api/v1/tax-certificates/{setup['regie'].public_id}/2025/"
    for url in (base, base + "pdf/"):
        response = other.get(url)
        assert response.status_code == 404, url
        assert invoice.number not in response.content.decode()
    assert not TaxCertificate.objects.exists()


def test_the_new_routes_are_in_the_schema_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in (
        "/api/v1/invoices/{public_id}/pdf/",
        "/api/v1/credit-notes/",
        "/api/v1/tax-certificates/",
        "/api/v1/tax-certificates/{regie_id}/{year}/",
        "/api/v1/tax-certificates/{regie_id}/{year}/pdf/",
    ):
        assert f"  {path}:" in schema, path


def test_the_attestations_cost_the_same_queries_for_one_year_or_three(paid_last_year):
    """The API list and the family page read every year and régie at once."""
    import datetime

    from django.test import Client
    from django.urls import reverse

    from tests.conftest import sign_in
    from tests.queries import count_get, count_get_json

    setup, family, client, _invoice = paid_last_year
    page = sign_in(Client(), family.guardians.first().user)
    url = reverse("espace_prive:billing:tax_certificates")
    page.get(url)  # the session's first page warms the per-process caches
    one_year, body = count_get_json(client, "/api/v1/tax-certificates/")
    one_page = count_get(page, url)
    assert [entry["year"] for entry in body] == [2025]
    for month, received in zip(MONTHS[1:3], (2024, 2023), strict=True):
        invoice = issue_month(setup, family, month)
        services.payment_record(
            regie=setup["regie"],
            family=family,
            amount=invoice.total,
            method=Payment.Method.CHEQUE,
            received_on=datetime.date(received, 6, 1),
            actor=None,
        )
    three_years, body = count_get_json(client, "/api/v1/tax-certificates/")
    assert [entry["year"] for entry in body] == [2025, 2024, 2023]
    assert all(Decimal(entry["total"]) > 0 for entry in body)
    assert three_years == one_year
    assert count_get(page, url) == one_page
