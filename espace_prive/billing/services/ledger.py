"""Credit notes and payments: the only writers of money received or given back."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from espace_prive.families.models import Family

from ..audit import billing_audit
from ..models import (
    Allocation,
    BillingAction,
    CreditNote,
    Invoice,
    InvoiceService,
    InvoiceState,
    Payment,
    SequenceKind,
)
from .balances import family_balance, invoice_remaining
from .documents import payment_receipt_notify
from .numbering import number_next

CENT = Decimal("0.01")


def _money(amount):
    amount = Decimal(amount)
    if amount != amount.quantize(CENT):
        raise ValidationError({"amount": "Indiquez un montant au centime près."})
    return amount


def credit_note_issue(*, invoice, amount, reason, actor, today=None, ip=None, user_agent=""):
    """An avoir on an issued invoice, at most what remains creditable on it.

    The note that credits what was left of the invoice (the invoice cancelled in
    full) releases what it covered: a later run may bill that family, month and
    service again. A partial note releases nothing (see ``InvoiceService``)."""
    amount = _money(amount)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de l'avoir."})
    if amount <= 0:
        raise ValidationError({"amount": "Le montant d'un avoir doit être positif."})
    today = today or timezone.localdate()
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update(of=("self",))
            .select_related("regie")
            .get(pk=invoice.pk)
        )
        if invoice.state != InvoiceState.ISSUED:
            raise ValidationError("Un avoir ne porte que sur une facture émise.")
        credited = sum((n.amount for n in invoice.credit_notes.all()), Decimal(0))
        if amount > invoice.total - credited:
            raise ValidationError(
                {
                    "amount": (
                        f"L'avoir dépasse ce qui reste de la facture "
                        f"({invoice.total - credited} €)."
                    )
                }
            )
        sequence, number = number_next(
            regie=invoice.regie, kind=SequenceKind.CREDIT_NOTE, year=today.year
        )
        note = CreditNote.objects.create(
            regie=invoice.regie,
            invoice=invoice,
            family_id=invoice.family_id,
            year=today.year,
            sequence=sequence,
            number=number,
            amount=amount,
            reason=reason[:255],
            issued_by=actor,
        )
        cancelled = amount == invoice.total - credited
        if cancelled:
            InvoiceService.objects.filter(invoice=invoice).update(released_by=note)
        billing_audit(
            BillingAction.CREDIT_NOTE,
            regie=invoice.regie,
            family_id=invoice.family_id,
            invoice=invoice,
            credit_note=note,
            amount=amount,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=(
                f"Avoir {number} sur la facture {invoice.number} : {reason}"
                + (" (facture annulée : le mois peut être refacturé)" if cancelled else "")
            ),
        )
        return note


def _allocate(payment, invoices):
    """Pay the oldest unpaid invoices first, up to the payment's amount."""
    left = payment.amount
    allocations = []
    for invoice in invoices:
        if left <= 0:
            break
        due = invoice_remaining(invoice)
        if due <= 0:
            continue
        part = min(due, left)
        allocations.append(Allocation(payment=payment, invoice=invoice, amount=part))
        left -= part
    Allocation.objects.bulk_create(allocations)
    return allocations


def payment_record(
    *,
    regie,
    family,
    amount,
    method,
    received_on,
    actor,
    reference="",
    is_refund=False,
    confirm_overpayment=False,
    provider_reference=None,
    invoices=None,
    ip=None,
    user_agent="",
):
    """Record money received (or refunded) and allocate it: to ``invoices`` first (in
    that order, when staff chose them), then to the oldest unpaid invoices."""
    amount = _money(amount)
    if method not in Payment.Method.values:
        raise ValidationError({"method": "Choisissez un moyen de paiement de la liste."})
    if is_refund:
        if amount >= 0:
            raise ValidationError({"amount": "Un remboursement s'indique en montant négatif."})
    elif amount <= 0:
        raise ValidationError({"amount": "Le montant d'un paiement doit être supérieur à 0 €."})
    with transaction.atomic():
        # The family row is the lock of its account: payments of one family queue.
        family = Family.objects.select_for_update().get(pk=family.pk)
        due = family_balance(regie=regie, family=family)
        if not is_refund and amount > due and not confirm_overpayment:
            raise ValidationError(
                {
                    "amount": (
                        f"Ce paiement dépasse le solde dû ({max(due, Decimal(0))} €) : "
                        "confirmez pour l'enregistrer quand même."
                    )
                }
            )
        oldest = list(
            Invoice.objects.filter(regie=regie, family=family, state=InvoiceState.ISSUED).order_by(
                "issued_at", "sequence"
            )
        )
        by_pk = {invoice.pk: invoice for invoice in oldest}
        chosen = list(dict.fromkeys(invoice.pk for invoice in invoices or ()))
        if any(pk not in by_pk for pk in chosen):
            raise ValidationError({"invoices": "Choisissez des factures émises de cette famille."})
        ordered = [by_pk[pk] for pk in chosen] + [i for i in oldest if i.pk not in chosen]
        payment = Payment.objects.create(
            regie=regie,
            family=family,
            amount=amount,
            is_refund=is_refund,
            method=method,
            received_on=received_on,
            reference=reference.strip()[:100],
            provider_reference=provider_reference,
            recorded_by=actor,
        )
        if not is_refund:
            _allocate(payment, ordered)
        kind = "Remboursement" if is_refund else "Paiement"
        billing_audit(
            BillingAction.REFUND if is_refund else BillingAction.PAYMENT,
            regie=regie,
            family=family,
            payment=payment,
            amount=amount,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=(
                f"{kind} ({payment.get_method_display()}) de {amount} € — {family.reference}"
                + (f", réf. {payment.reference}" if payment.reference else "")
            ),
        )
        payment_receipt_notify(payment)
    return payment


def payment_reverse(
    *,
    payment,
    received_on,
    actor,
    reason,
    action=BillingAction.REFUND,
    audit_refs=None,
    ip=None,
    user_agent="",
):
    """Cancel ``payment`` (money that did not arrive after all: a rejected direct debit):
    a negative payment whose allocations undo the original's, invoice by invoice, so
    that those invoices are due again. A payment is reversed once at most."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez pourquoi le paiement est annulé."})
    with transaction.atomic():
        Family.objects.select_for_update().get(pk=payment.family_id)
        payment = Payment.objects.select_for_update().select_related("regie").get(pk=payment.pk)
        if payment.is_refund:
            raise ValidationError("Un remboursement ne s'annule pas.")
        if Payment.objects.filter(reverses=payment).exists():
            raise ValidationError("Ce paiement est déjà annulé.")
        reversal = Payment.objects.create(
            regie=payment.regie,
            family_id=payment.family_id,
            amount=-payment.amount,
            is_refund=True,
            method=payment.method,
            received_on=received_on,
            reference=reason[:100],
            provider_reference=(
                f"annulation:{payment.provider_reference}" if payment.provider_reference else None
            ),
            reverses=payment,
            recorded_by=actor,
        )
        Allocation.objects.bulk_create(
            [
                Allocation(
                    payment=reversal,
                    invoice_id=allocation.invoice_id,
                    amount=-allocation.amount,
                    is_reversal=True,
                )
                for allocation in payment.allocations.all()
            ]
        )
        billing_audit(
            action,
            regie=payment.regie,
            family_id=payment.family_id,
            payment=reversal,
            amount=reversal.amount,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=f"Annulation du paiement de {payment.amount} € du "
            f"{payment.received_on:%d/%m/%Y} : {reason}",
            **(audit_refs or {}),
        )
    return reversal
