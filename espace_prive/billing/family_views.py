"""Family pages of the billing: « Mes factures » (the relevé de compte), one invoice,
paying by card (Stripe Checkout) and the pages Stripe sends the family back to.

Every invoice and card payment is reached from ``request.family``: another family's
is a 404. The return page never marks anything paid: only the signed webhook does.
"""

import logging
import uuid

import stripe
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.views.decorators.http import require_GET, require_POST

from espace_prive.access import family_required

from . import family_selectors as selectors
from .models import CardCheckout, CheckoutState
from .services.card import checkout_start

logger = logging.getLogger(__name__)


def _checkout_allowed(response):
    """The « Payer » form's answer redirects to the provider's page: browsers check
    that redirect against the page's form-action."""
    response._csp_config = {
        **settings.SECURE_CSP,
        "form-action": [CSP.SELF, settings.STRIPE_CHECKOUT_ORIGIN],
    }
    return response


@require_GET
@family_required
def statement(request):
    """« Mes factures » : the balance, the invoices to pay, the relevé de compte."""
    response = render(
        request,
        "billing/statement.html",
        {
            "accounts": selectors.accounts(request.family),
            "invoices": list(selectors.issued_invoices(request.family)),
        },
    )
    return _checkout_allowed(response)


@require_GET
@family_required
def invoice_detail(request, invoice_id):
    invoice = selectors.invoice_for_family(request.family, invoice_id)
    credited = invoice.credited
    response = render(
        request,
        "billing/invoice.html",
        {
            "invoice": invoice,
            "groups": selectors.lines_by_child_and_service(invoice),
            "to_pay": invoice.previous_balance + invoice.total - credited,
            "card_payment": selectors.card_payment_available(invoice.regie),
        },
    )
    return _checkout_allowed(response)


def _start(request, *, regie, invoices=None):
    """Ask the provider for a Checkout page of what is due; its URL, or None (a message
    says why)."""
    success = request.build_absolute_uri(reverse("espace_prive:billing:card_return"))
    cancel = request.build_absolute_uri(reverse("espace_prive:billing:card_cancel"))
    if not selectors.card_payment_available(regie):
        messages.error(request, "Le paiement par carte n'est pas proposé par cette régie.")
        return None
    try:
        checkout, url = checkout_start(
            regie=regie,
            family=request.family,
            invoices=invoices,
            # Stripe puts the session's id in place of {CHECKOUT_SESSION_ID}.
            success_url=success + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=cancel,
        )
    except stripe.StripeError:
        logger.warning("Checkout could not start for family %s", request.family.pk, exc_info=True)
        messages.error(
            request,
            "Le paiement en ligne est momentanément indisponible : réessayez dans quelques "
            "minutes.",
        )
        return None
    if checkout is None:
        messages.info(request, "Il n'y a rien à payer.")
        return None
    return url


@require_POST
@family_required
def pay_balance(request):
    """« Payer » the total due at one régie (the one named in the form)."""
    try:
        regie_id = uuid.UUID(request.POST.get("regie", ""))
    except ValueError as error:
        raise Http404("Régie inconnue.") from error
    account = next(
        (a for a in selectors.accounts(request.family) if a.regie.public_id == regie_id), None
    )
    if account is None:
        raise Http404("Régie inconnue.")
    url = _start(request, regie=account.regie)
    return redirect(url or "espace_prive:billing:statement")


@require_POST
@family_required
def pay_invoice(request, invoice_id):
    """« Payer » what remains due on one invoice."""
    invoice = selectors.invoice_for_family(request.family, invoice_id)
    url = _start(request, regie=invoice.regie, invoices=[invoice])
    return redirect(url or reverse("espace_prive:billing:invoice", args=[invoice.public_id]))


@require_GET
@family_required
def card_return(request):
    """Where Stripe sends the family after paying: says what the régie knows (the
    payment is recorded by the webhook, never here)."""
    checkout = None
    session_id = request.GET.get("session_id", "")[:255]
    if session_id:
        checkout = get_object_or_404(
            CardCheckout.objects.select_related("regie", "payment"),
            family=request.family,
            session_id=session_id,
        )
    paid = checkout is not None and checkout.state == CheckoutState.PAID
    return render(request, "billing/card_return.html", {"checkout": checkout, "paid": paid})


@require_GET
@family_required
def card_cancel(request):
    return render(request, "billing/card_cancel.html")
