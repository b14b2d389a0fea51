"""« Payer » from the family pages: a Stripe Checkout Session of what is due (all, or
one invoice), the redirect to its page, the return and cancel pages (which record
nothing), and the receipt e-mailed once the signed webhook records the payment."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.test import Client
from django.utils.formats import number_format

from espace_prive.billing.models import CardCheckout, CheckoutState, Payment
from tests.billing.fake_stripe import FakeStripe, signed_event
from tests.billing.family_helpers import billed_account

pytestmark = pytest.mark.django_db

SECRET = "whsec_test_family"
STATEMENT = "/espace-famille/factures/"


@pytest.fixture
def stripe_api(monkeypatch, settings):
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_local")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    with FakeStripe() as fake:
        settings.STRIPE_API_BASE = fake.url
        yield fake


@pytest.fixture
def account():
    setup, family, user, invoices = billed_account(months=2)
    client = Client()
    client.force_login(user)
    return setup["regie"], family, client, invoices


def _webhook(regie, session, event_id="evt_family_1"):
    payload, signature = signed_event(session, SECRET, event_id=event_id)
    return Client().post(
        f"/espace-famille/paiement/stripe/webhook/{regie.public_id}/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )


def test_pay_the_balance_redirects_to_checkout_for_exactly_what_is_due(account, stripe_api):
    regie, family, client, invoices = account
    page = client.get(STATEMENT).content.decode()
    assert "par carte" in page and 'name="regie"' in page
    response = client.post(f"{STATEMENT}payer/", {"regie": str(regie.public_id)})
    checkout = CardCheckout.objects.get(family=family)
    assert response.status_code == 302
    assert response["Location"] == f"http://stripe.test/pay/{checkout.session_id}"
    assert checkout.amount == sum(i.total for i in invoices)
    assert set(checkout.invoices.all()) == set(invoices)
    _method, _path, fields, _key, _headers = stripe_api.requests[-1]
    assert fields["line_items[0][price_data][unit_amount]"] == str(int(checkout.amount * 100))
    success = urlparse(fields["success_url"])
    assert success.path == f"{STATEMENT}paiement/retour/"
    assert parse_qs(success.query) == {"session_id": ["{CHECKOUT_SESSION_ID}"]}
    assert urlparse(fields["cancel_url"]).path == f"{STATEMENT}paiement/annule/"
    assert not Payment.objects.exists()


def test_the_pages_with_the_button_allow_the_checkout_page_in_form_action(account, settings):
    _regie, _family, client, (first, _second) = account
    for url in (STATEMENT, f"{STATEMENT}{first.public_id}/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert f"form-action 'self' {settings.STRIPE_CHECKOUT_ORIGIN}" in policy
    assert settings.STRIPE_CHECKOUT_ORIGIN == "https://checkout.stripe.com"
    assert "form-action 'self';" in client.get("/espace-famille/")["Content-Security-Policy"]


def test_pay_one_invoice_asks_only_for_it(account, stripe_api):
    _regie, family, client, (first, second) = account
    response = client.post(f"{STATEMENT}{second.public_id}/payer/")
    assert response.status_code == 302
    checkout = CardCheckout.objects.get(family=family)
    assert checkout.amount == second.total
    assert list(checkout.invoices.all()) == [second]
    assert first.total > 0


def test_the_return_page_never_marks_paid_and_the_webhook_records_and_sends_a_receipt(
    account, stripe_api, django_capture_on_commit_callbacks
):
    regie, family, client, invoices = account
    client.post(f"{STATEMENT}payer/", {"regie": str(regie.public_id)})
    checkout = CardCheckout.objects.get(family=family)
    stripe_api.pay(checkout.session_id)
    returned = client.get(f"{STATEMENT}paiement/retour/", {"session_id": checkout.session_id})
    assert returned.status_code == 200
    assert "Paiement en cours de confirmation" in returned.content.decode()
    assert not Payment.objects.exists()
    checkout.refresh_from_db()
    assert checkout.state == CheckoutState.OPEN
    mail.outbox.clear()

    for _attempt in range(3):  # Stripe retries: one payment, one receipt
        with django_capture_on_commit_callbacks(execute=True):
            response = _webhook(regie, stripe_api.sessions[checkout.session_id])
        assert response.status_code == 200, response.content
    payment = Payment.objects.get()
    assert payment.method == Payment.Method.CARD
    assert payment.amount == sum(i.total for i in invoices)
    [receipt] = mail.outbox
    assert receipt.to == [family.guardians.get().user.email]
    assert f"{number_format(payment.amount, 2)} €" in receipt.subject
    for invoice in invoices:
        assert invoice.number in receipt.body
    assert "/espace-famille/factures/" in receipt.body

    page = client.get(f"{STATEMENT}paiement/retour/", {"session_id": checkout.session_id})
    assert "enregistré" in page.content.decode()
    statement = client.get(STATEMENT).content.decode()
    assert "Paiement (Carte bancaire (en ligne))" in statement
    assert "Solde : 0,00 €" in statement
    assert 'name="regie"' not in statement  # nothing left to pay


def test_another_familys_session_is_not_found_on_the_return_page(account, stripe_api):
    regie, family, client, _invoices = account
    client.post(f"{STATEMENT}payer/", {"regie": str(regie.public_id)})
    checkout = CardCheckout.objects.get(family=family)
    _setup, _other, other_user, _ = billed_account(months=0)
    other = Client()
    other.force_login(other_user)
    response = other.get(f"{STATEMENT}paiement/retour/", {"session_id": checkout.session_id})
    assert response.status_code == 404
    assert other.post(f"{STATEMENT}payer/", {"regie": str(regie.public_id)}).status_code == 404
    assert other.post(f"{STATEMENT}payer/", {"regie": "pas-un-uuid"}).status_code == 404


def test_the_cancel_page_records_nothing(account, stripe_api):
    _regie, _family, client, _invoices = account
    response = client.get(f"{STATEMENT}paiement/annule/")
    assert response.status_code == 200
    assert "rien n'a été payé" in response.content.decode()
    assert not Payment.objects.exists()


def test_without_stripe_keys_there_is_no_button_and_posting_changes_nothing(account, monkeypatch):
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    monkeypatch.delenv("STRIPE_WEBHOOK_SECRET", raising=False)
    regie, _family, client, (first, _second) = account
    assert "par carte" not in client.get(STATEMENT).content.decode()
    assert "par carte" not in client.get(f"{STATEMENT}{first.public_id}/").content.decode()
    response = client.post(f"{STATEMENT}payer/", {"regie": str(regie.public_id)}, follow=True)
    assert "pas proposé par cette régie" in response.content.decode()
    assert not CardCheckout.objects.exists()


def test_a_paid_invoice_has_nothing_to_pay(account, stripe_api):
    regie, family, client, (first, _second) = account
    from espace_prive.billing import services

    services.payment_record(
        regie=regie,
        family=family,
        amount=first.total,
        method=Payment.Method.CASH,
        received_on=first.due_date,
        actor=None,
    )
    response = client.post(f"{STATEMENT}{first.public_id}/payer/", follow=True)
    assert "rien à payer." in response.content.decode()
    assert not CardCheckout.objects.exists()


def test_stripe_unreachable_is_a_french_message(account, monkeypatch, settings):
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_local")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    regie, _family, client, _invoices = account
    response = client.post(f"{STATEMENT}payer/", {"regie": str(regie.public_id)}, follow=True)
    assert "momentanément indisponible" in response.content.decode()
    assert not CardCheckout.objects.exists()
