"""Card payment through Stripe Checkout: the real SDK against a local fake API, webhooks
signed with Stripe's scheme and verified by stripe.Webhook.construct_event."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import connections
from django.test import Client

from espace_prive.billing import services
from espace_prive.billing.models import Allocation, CardCheckout, Payment, StripeEvent
from espace_prive.billing.services.card import checkout_start
from tests.billing.factories import (
    DECEMBER,
    book,
    make_billed_family,
    make_billing_setup,
    school_days,
)
from tests.billing.fake_stripe import FakeStripe, signed_event

SECRET = "whsec_test_secret"
TODAY = datetime.date(2027, 1, 4)


@pytest.fixture
def stripe_api(monkeypatch, settings):
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_local")
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", SECRET)
    with FakeStripe() as fake:
        settings.STRIPE_API_BASE = fake.url
        yield fake


def _account():
    setup = make_billing_setup()
    family = make_billed_family(calendar=setup)
    family.guardians.update(email="anne.roux@example.test")  # the receipt's address
    child = family.children.get()
    for day in school_days(count=3):
        book(child, setup, day)
    run = services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
    )
    services.run_issue(run=services.run_draft(run=run), actor=None, today=TODAY)
    return setup["regie"], family


@pytest.fixture
def account(db):
    return _account()


def start(regie, family):
    return checkout_start(
        regie=regie,
        family=family,
        success_url="https://portail.test/ok",
        cancel_url="https://portail.test/annule",
    )


def post_webhook(regie, payload, signature, client=None):
    headers = {} if signature is None else {"HTTP_STRIPE_SIGNATURE": signature}
    return (client or Client()).post(
        f"/espace-famille/paiement/stripe/webhook/{regie.public_id}/",
        data=payload,
        content_type="application/json",
        **headers,
    )


@pytest.mark.django_db
def test_checkout_asks_exactly_what_is_due_with_an_idempotency_key(account, stripe_api):
    regie, family = account
    checkout, url = start(regie, family)
    method, path, fields, key, _headers = stripe_api.requests[-1]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert fields["line_items[0][price_data][unit_amount]"] == "750"
    assert fields["line_items[0][price_data][currency]"] == "eur"
    assert key == f"checkout-{checkout.public_id}"
    assert url == f"http://stripe.test/pay/{checkout.session_id}"
    assert checkout.amount == Decimal("7.50") and checkout.state == "ouvert"


@pytest.mark.django_db
def test_no_button_without_keys_or_without_anything_due(account, stripe_api, monkeypatch):
    regie, family = account
    monkeypatch.delenv("STRIPE_SECRET_KEY")
    assert start(regie, family) == (None, None)
    monkeypatch.setenv("STRIPE_SECRET_KEY", "sk_test_local")
    services.payment_record(
        regie=regie, family=family, amount="7.50", method="cheque", received_on=TODAY, actor=None
    )
    assert start(regie, family) == (None, None)
    assert stripe_api.requests == []


@pytest.mark.django_db
def test_signed_webhook_records_one_payment_even_replayed_ten_times(
    account, stripe_api, django_capture_on_commit_callbacks
):
    regie, family = account
    checkout, _url = start(regie, family)
    stripe_api.pay(checkout.session_id)
    payload, signature = signed_event(stripe_api.sessions[checkout.session_id], SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = [post_webhook(regie, payload, signature) for _ in range(10)]
    # One receipt, to the family, for the one payment.
    assert [m.to for m in mail.outbox] == [["anne.roux@example.test"]]
    assert "7,50" in mail.outbox[0].subject and "Carte bancaire" in mail.outbox[0].body
    assert [r.status_code for r in outcomes] == [200] * 10
    assert outcomes[0].content.decode() == "payé"
    assert {r.content.decode() for r in outcomes[1:]} == {"déjà traité"}
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.provider_reference) == (
        Decimal("7.50"),
        "carte",
        checkout.session_id,
    )
    assert services.family_balance(regie=regie, family=family) == 0
    # Another event id for the same session: still one payment.
    payload, signature = signed_event(
        stripe_api.sessions[checkout.session_id], SECRET, event_id="evt_2"
    )
    assert post_webhook(regie, payload, signature).content.decode() == "déjà payé"
    assert Payment.objects.count() == 1 and Allocation.objects.count() == 1


@pytest.mark.parametrize(
    "tamper",
    ["one_byte", "wrong_secret", "stale", "missing", "garbage"],
)
@pytest.mark.django_db
def test_bad_signature_is_400_and_changes_nothing(account, stripe_api, tamper):
    regie, family = account
    checkout, _url = start(regie, family)
    stripe_api.pay(checkout.session_id)
    session = stripe_api.sessions[checkout.session_id]
    payload, signature = signed_event(session, SECRET)
    if tamper == "one_byte":
        payload = payload.replace('"evt_1"', '"evt_9"')
    elif tamper == "wrong_secret":
        payload, signature = signed_event(session, "whsec_other")
    elif tamper == "stale":
        payload, signature = signed_event(session, SECRET, timestamp=int(time.time()) - 301)
    elif tamper == "missing":
        signature = None
    else:
        signature = "t=1,v1=zz"
    assert post_webhook(regie, payload, signature).status_code == 400
    assert not Payment.objects.exists() and not StripeEvent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "note"),
    [
        ({"amount_total": 100}, "montant 100 au lieu de 750 centimes"),
        ({"currency": "usd"}, "devise usd au lieu de eur"),
        ({"payment_status": "unpaid"}, "session non payée"),
    ],
)
@pytest.mark.django_db
def test_session_not_matching_is_logged_flagged_and_not_applied(
    account, stripe_api, caplog, changes, note
):
    regie, family = account
    checkout, _url = start(regie, family)
    stripe_api.pay(checkout.session_id)
    # The event says the right amount; the session fetched again from Stripe does not.
    payload, signature = signed_event(stripe_api.sessions[checkout.session_id], SECRET)
    stripe_api.sessions[checkout.session_id].update(changes)
    response = post_webhook(regie, payload, signature)
    assert response.status_code == 200 and response.content.decode() == "à vérifier"
    checkout.refresh_from_db()
    assert (checkout.state, checkout.review_note) == ("a_verifier", note)
    assert not Payment.objects.exists()
    assert note in caplog.text
    assert services.family_balance(regie=regie, family=family) == Decimal("7.50")


@pytest.mark.django_db
def test_unknown_session_is_acknowledged_and_changes_nothing(account, stripe_api):
    regie, _family = account
    payload, signature = signed_event(
        {"id": "cs_test_nobody", "object": "checkout.session"}, SECRET
    )
    response = post_webhook(regie, payload, signature)
    assert (response.status_code, response.content.decode()) == (200, "session inconnue")
    assert not Payment.objects.exists()
    # Kept for the staff to look at (listed in « Paiements à vérifier »), once.
    event = StripeEvent.objects.get()
    assert (event.needs_review, event.session_id, event.regie) == (True, "cs_test_nobody", regie)
    post_webhook(regie, payload, signature)
    assert StripeEvent.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(not settings.DATABASE_IS_POSTGRES, reason="needs real row locks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_event_ten_times_at_once_gives_one_payment(stripe_api):
    regie, family = _account()
    checkout, _url = start(regie, family)
    stripe_api.pay(checkout.session_id)
    payload, signature = signed_event(stripe_api.sessions[checkout.session_id], SECRET)
    barrier = threading.Barrier(10, timeout=60)
    statuses = []

    def deliver():
        try:
            connections["default"].ensure_connection()
            barrier.wait()
            statuses.append(post_webhook(regie, payload, signature).content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == ["déjà traité"] * 9 + ["payé"]
    assert Payment.objects.count() == 1 and StripeEvent.objects.count() == 1
    assert len([m for m in mail.outbox if "Reçu" in m.subject]) == 1
    assert CardCheckout.objects.get().state == "paye"
    assert services.family_balance(regie=regie, family=family) == 0
