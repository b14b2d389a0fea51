"""Card payment through Stripe Checkout, behind a small provider interface (PayFiP can
be a second provider later).

- ``checkout_start``: the amount is computed here from the family's unpaid invoices,
  never taken from the request; the Checkout Session is created with a stable
  idempotency key.
- ``webhook_handle``: the signature is verified on the raw body (300 s tolerance); the
  event id is stored under a unique constraint in the same transaction as the payment
  (a replay, even concurrent, waits for the first and then does nothing); the session
  is fetched again from Stripe and checked against what was asked (amount, currency,
  paid); a mismatch is logged and flagged for staff, nothing is paid.
"""

import logging
import os
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..audit import billing_audit
from ..models import (
    BillingAction,
    CardCheckout,
    CheckoutState,
    Invoice,
    InvoiceState,
    Payment,
    StripeEvent,
)
from .balances import invoice_remaining
from .ledger import payment_record

logger = logging.getLogger(__name__)
CENTS = Decimal(100)


class WebhookRejected(Exception):
    """The webhook is not Stripe's (bad or stale signature, unreadable body): 400."""


class StripeProvider:
    name = "stripe"

    def __init__(self, regie):
        self.regie = regie
        self.secret_key = os.environ.get(regie.stripe_secret_key_env, "")
        self.webhook_secret = os.environ.get(regie.stripe_webhook_secret_env, "")

    @property
    def available(self):
        return bool(self.secret_key and self.webhook_secret)

    def client(self):
        options = {"max_network_retries": 2}
        if settings.STRIPE_API_BASE:
            options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
        return stripe.StripeClient(self.secret_key, **options)

    def create_session(self, *, checkout_key, amount, label, metadata, success_url, cancel_url):
        session = self.client().v1.checkout.sessions.create(
            params={
                "mode": "payment",
                "line_items": [
                    {
                        "quantity": 1,
                        "price_data": {
                            "currency": "eur",
                            "unit_amount": int(amount * CENTS),
                            "product_data": {"name": label},
                        },
                    }
                ],
                "metadata": metadata,
                "client_reference_id": metadata["checkout"],
                "success_url": success_url,
                "cancel_url": cancel_url,
            },
            options={"idempotency_key": checkout_key},
        )
        return session.id, session.url

    def retrieve_session(self, session_id):
        return self.client().v1.checkout.sessions.retrieve(session_id).to_dict()

    def verify(self, payload, signature):
        try:
            return stripe.Webhook.construct_event(payload, signature, self.webhook_secret)
        except (ValueError, stripe.SignatureVerificationError) as error:
            raise WebhookRejected(str(error)) from error


def unpaid_invoices(*, regie, family):
    invoices = Invoice.objects.filter(
        regie=regie, family=family, state=InvoiceState.ISSUED
    ).order_by("issued_at", "sequence")
    return [(invoice, invoice_remaining(invoice)) for invoice in invoices]


def checkout_start(*, regie, family, success_url, cancel_url, invoices=None, provider=None):
    """Start a card payment of what is due on ``invoices`` (default: all unpaid).

    Returns the CardCheckout and the provider's page URL; None when nothing is due or
    the régie has no card payment configured.
    """
    provider = provider or StripeProvider(regie)
    if not provider.available:
        return None, None
    due = [(i, r) for i, r in unpaid_invoices(regie=regie, family=family) if r > 0]
    if invoices is not None:
        wanted = {invoice.pk for invoice in invoices}
        due = [(i, r) for i, r in due if i.pk in wanted]
    amount = sum((r for _i, r in due), Decimal(0))
    if amount <= 0:
        return None, None
    checkout = CardCheckout(regie=regie, family=family, amount=amount, provider=provider.name)
    numbers = ", ".join(i.number for i, _r in due)
    session_id, url = provider.create_session(
        checkout_key=f"checkout-{checkout.public_id}",
        amount=amount,
        label=f"{regie.name} — factures {numbers}"[:250],
        metadata={"checkout": str(checkout.public_id), "regie": str(regie.public_id)},
        success_url=success_url,
        cancel_url=cancel_url,
    )
    checkout.session_id = session_id
    with transaction.atomic():
        checkout.save()
        checkout.invoices.set([i for i, _r in due])
    return checkout, url


def _check_session(checkout, session):
    """Why the session does not match what was asked ("" when it does)."""
    if session.get("payment_status") != "paid":
        return "session non payée"
    if session.get("currency") != "eur":
        return f"devise {session.get('currency')} au lieu de eur"
    expected = int(checkout.amount * CENTS)
    if session.get("amount_total") != expected:
        return f"montant {session.get('amount_total')} au lieu de {expected} centimes"
    if (session.get("metadata") or {}).get("checkout") != str(checkout.public_id):
        return "référence du paiement différente"
    return ""


def checkout_apply(*, regie, session_id, session):
    """Apply what Stripe says of a Checkout Session to its CardCheckout, inside the
    caller's transaction: the webhook and the reconciliation share it (idempotent: a
    paid checkout is never paid twice). Returns what was done."""
    checkout = CardCheckout.objects.select_for_update().get(regie=regie, session_id=session_id)
    if checkout.state == CheckoutState.PAID:
        return "déjà payé"
    mismatch = _check_session(checkout, session)
    if mismatch:
        logger.warning("Stripe session %s not applied: %s", session_id, mismatch)
        checkout.state, checkout.review_note = CheckoutState.REVIEW, mismatch[:255]
        checkout.save(update_fields=["state", "review_note"])
        return "à vérifier"
    payment = payment_record(
        regie=regie,
        family=checkout.family,
        amount=checkout.amount,
        method=Payment.Method.CARD,
        received_on=timezone.localdate(),
        actor=None,
        reference=session_id[:100],
        provider_reference=session_id,
        confirm_overpayment=True,
    )
    checkout.state, checkout.payment = CheckoutState.PAID, payment
    checkout.save(update_fields=["state", "payment"])  # payment_record sent the receipt
    return "payé"


def webhook_handle(*, regie, payload, signature, provider=None):
    """Process one webhook; returns what was done (raises WebhookRejected → 400)."""
    provider = provider or StripeProvider(regie)
    if not provider.webhook_secret:
        raise WebhookRejected("no webhook secret configured")
    event = provider.verify(payload, signature)
    if event.type != "checkout.session.completed":
        return "ignoré"
    session_id = event.data.object.id
    if not CardCheckout.objects.filter(regie=regie, session_id=session_id).exists():
        logger.warning("Stripe webhook %s: unknown session %s", event.id, session_id)
        StripeEvent.objects.get_or_create(
            event_id=event.id,
            defaults={
                "event_type": event.type,
                "outcome": "session inconnue",
                "regie": regie,
                "session_id": session_id[:255],
                "needs_review": True,
            },
        )
        return "session inconnue"
    session = provider.retrieve_session(session_id)
    try:
        with transaction.atomic():
            stored = StripeEvent.objects.create(
                event_id=event.id, event_type=event.type, regie=regie, session_id=session_id
            )
            outcome = checkout_apply(regie=regie, session_id=session_id, session=session)
            stored.outcome = outcome
            if outcome == "à vérifier":
                checkout = CardCheckout.objects.get(session_id=session_id)
                stored.outcome, stored.needs_review = checkout.review_note, True
            stored.save(update_fields=["outcome", "needs_review"])
            return outcome
    except IntegrityError:
        # The same event (or another event of a paid session) committed first.
        return "déjà traité"


def checkouts_reconcile(*, provider_for=StripeProvider):
    """Ask Stripe about every card payment still open and record those paid whose
    webhook never came, through ``checkout_apply`` (the webhook's own path). Returns
    the count per outcome."""
    counts = {}
    open_checkouts = CardCheckout.objects.filter(state=CheckoutState.OPEN).select_related("regie")
    providers = {}
    for checkout in open_checkouts.order_by("created_at", "pk"):
        regie = checkout.regie
        provider = providers.setdefault(regie.pk, provider_for(regie))
        if not provider.available:
            counts["sans clés"] = counts.get("sans clés", 0) + 1
            continue
        try:
            session = provider.retrieve_session(checkout.session_id)
        except stripe.StripeError as error:
            logger.warning("Reconciliation of %s failed: %s", checkout.session_id, error)
            counts["erreur"] = counts.get("erreur", 0) + 1
            continue
        if session.get("payment_status") != "paid":
            outcome = "non payé"
        else:
            try:
                with transaction.atomic():
                    outcome = checkout_apply(
                        regie=regie, session_id=checkout.session_id, session=session
                    )
                    if outcome == "payé":
                        billing_audit(
                            BillingAction.RECONCILED,
                            regie=regie,
                            family_id=checkout.family_id,
                            payment_id=CardCheckout.objects.get(pk=checkout.pk).payment_id,
                            amount=checkout.amount,
                            summary=(
                                f"Paiement par carte {checkout.session_id} rapproché "
                                "(webhook jamais reçu)"
                            ),
                        )
            except IntegrityError:
                outcome = "déjà payé"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
