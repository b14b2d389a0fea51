"""``manage.py billing_reconcile``: card payments whose webhook never came are recorded
from Stripe's own answer (the real SDK against the local fake API), once, through the
webhook's path; a webhook arriving afterwards changes nothing."""

import io

import pytest
from django.core.management import call_command

from espace_prive.billing.models import BillingAuditEntry, CardCheckout, Payment
from tests.billing.fake_stripe import signed_event
from tests.billing.test_card import SECRET, account, post_webhook, start, stripe_api

pytestmark = pytest.mark.django_db
__all__ = ["account", "stripe_api"]  # fixtures


def reconcile():
    out = io.StringIO()
    call_command("billing_reconcile", stdout=out)
    return out.getvalue()


def test_a_paid_session_without_webhook_is_recorded_once(account, stripe_api):
    regie, family = account
    checkout, _url = start(regie, family)
    assert "non payé : 1" in reconcile() and not Payment.objects.exists()
    stripe_api.pay(checkout.session_id)
    assert "payé : 1" in reconcile()
    payment = Payment.objects.get()
    assert payment.provider_reference == checkout.session_id and payment.amount == checkout.amount
    assert CardCheckout.objects.get(pk=checkout.pk).state == "paye"
    assert BillingAuditEntry.objects.filter(action="rapprochement", payment=payment).exists()
    assert "Aucun paiement" in reconcile()  # nothing left open
    payload, signature = signed_event(stripe_api.sessions[checkout.session_id], SECRET)
    assert post_webhook(regie, payload, signature).content.decode() == "déjà payé"
    assert Payment.objects.count() == 1


def test_a_session_paid_otherwise_than_asked_goes_to_review(account, stripe_api):
    regie, family = account
    checkout, _url = start(regie, family)
    stripe_api.pay(checkout.session_id, amount_total=100)
    assert "à vérifier : 1" in reconcile()
    checkout.refresh_from_db()
    assert checkout.state == "a_verifier" and "100" in checkout.review_note
    assert not Payment.objects.exists()
