"""SEPA direct debit, staff side: prepare a batch for a collection date (the invoices
of families with a signed mandate), export its pain.008.001.02 file, mark it settled
(each debit a payment of the collection date through the ledger), record a debit the
bank rejected (a reversal through the ledger: the invoice is due again, the family is
told). Every act is in the billing journal; bad input changes nothing."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import sepa_notices
from ..audit import billing_audit
from ..models import (
    BillingAction,
    Debit,
    DebitBatch,
    DebitBatchState,
    DebitState,
    Invoice,
    InvoiceState,
    PaymentMethod,
    RejectReason,
    SequenceType,
)
from ..sepa_rules import collection_date_error
from ..sepa_selectors import live_debits
from ..sepa_xml import pain008
from ..staff_selectors import invoices_with_remaining
from .ledger import payment_record, payment_reverse

NO_MANDATE = "La famille {family} (facture {number}) n'a pas de mandat de prélèvement SEPA signé."


def _day(value, field):
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError({field: "Indiquez une date (jour, mois, année)."})
    return value


def _sequence_types(debits):
    """FRST for a mandate never collected before (no live debit of an earlier batch
    under the same reference), RCUR after; a first batch's debits of one mandate are
    all its first presentation."""
    used = set(
        live_debits()
        .filter(family_id__in={d.family_id for d in debits})
        .values_list("family_id", "mandate_reference")
    )
    for debit in debits:
        seen = (debit.family_id, debit.mandate_reference) in used
        debit.sequence_type = SequenceType.RECURRING if seen else SequenceType.FIRST


def _refusals(invoices, *, regie, wanted):
    """French reasons why some of ``invoices`` cannot be collected (empty: all can)."""
    errors = []
    found = {invoice.pk for invoice in invoices}
    if found != wanted:
        errors.append("Une des factures choisies n'existe pas.")
    live = {
        debit.invoice_id: debit
        for debit in live_debits().filter(invoice__in=found).select_related("batch")
    }
    remaining = dict(
        invoices_with_remaining(Invoice.objects.filter(pk__in=found)).values_list("pk", "remaining")
    )
    for invoice in invoices:
        number, family = invoice.display_number, invoice.family
        if invoice.regie_id != regie.pk or invoice.state != InvoiceState.ISSUED:
            errors.append(f"La facture {number} n'est pas une facture émise de « {regie} ».")
        elif not family.has_active_sepa_mandate or not family.iban:
            errors.append(NO_MANDATE.format(family=family.reference, number=number))
        elif invoice.pk in live:
            batch = live[invoice.pk].batch
            errors.append(
                f"La facture {number} est déjà dans le lot de prélèvements du "
                f"{batch.collection_date:%d/%m/%Y}."
            )
        elif remaining.get(invoice.pk, 0) <= 0:
            errors.append(f"La facture {number} est déjà réglée.")
    return errors, remaining


def sepa_batch_create(
    *, regie, collection_date, invoices, actor, today=None, ip=None, user_agent=""
):
    """A draft batch collecting what remains due on each of ``invoices`` on
    ``collection_date`` (a bank business day, after the next one)."""
    today = today or timezone.localdate()
    if not regie.offers_direct_debit:
        raise ValidationError(
            {
                "regie": f"La régie « {regie} » n'a pas d'identifiant créancier SEPA (ICS) ni "
                "d'IBAN : renseignez-les dans « Régies et services facturés »."
            }
        )
    collection_date = _day(collection_date, "collection_date")
    error = collection_date_error(collection_date, today=today)
    if error:
        raise ValidationError({"collection_date": error})
    wanted = {invoice.pk for invoice in invoices or ()}
    if not wanted:
        raise ValidationError({"invoices": "Choisissez au moins une facture à prélever."})
    with transaction.atomic():
        # Locked: two batches prepared at once cannot both take an invoice.
        locked = list(
            Invoice.objects.select_for_update(of=("self",))
            .filter(pk__in=wanted)
            .select_related("family")
            .order_by("pk")
        )
        errors, remaining = _refusals(locked, regie=regie, wanted=wanted)
        if errors:
            raise ValidationError({"invoices": errors})
        batch = DebitBatch.objects.create(
            regie=regie,
            collection_date=collection_date,
            message_id=uuid.uuid4().hex[:35],
            created_by=actor,
        )
        batch.message_id = f"PF-R{regie.pk}-L{batch.pk}-{today:%Y%m%d}"
        batch.save(update_fields=["message_id"])
        debits = []
        for invoice in locked:
            family = invoice.family
            debits.append(
                Debit(
                    batch=batch,
                    invoice=invoice,
                    family=family,
                    amount=remaining[invoice.pk],
                    end_to_end_id=f"R{regie.pk}-{invoice.number}-L{batch.pk}",
                    mandate_reference=family.sepa_mandate_reference,
                    mandate_signed_on=family.sepa_mandate_signed_on,
                    debtor_name=(family.account_holder or invoice.payer_name)[:70],
                    iban=family.iban,
                    bic=family.bic,
                )
            )
        _sequence_types(debits)
        try:
            with transaction.atomic():
                Debit.objects.bulk_create(debits)
        except IntegrityError as error:
            raise ValidationError(
                {"invoices": "Une de ces factures vient d'être mise dans un autre lot."}
            ) from error
        total = sum(debit.amount for debit in debits)
        billing_audit(
            BillingAction.SEPA_BATCH_CREATED,
            regie=regie,
            debit_batch=batch,
            amount=total,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=(
                f"Lot {batch.message_id} : {len(debits)} prélèvement(s), {total} €, "
                f"le {collection_date:%d/%m/%Y}"
            ),
        )
    return batch


def _lock_batch(batch):
    return DebitBatch.objects.select_for_update().select_related("regie").get(pk=batch.pk)


def sepa_batch_cancel(*, batch, actor, ip=None, user_agent=""):
    """Give up a draft batch (its invoices can go into another)."""
    with transaction.atomic():
        batch = _lock_batch(batch)
        if batch.state != DebitBatchState.DRAFT:
            raise ValidationError(
                "Le fichier de ce lot a été téléchargé : il ne peut plus être abandonné "
                "(enregistrez les rejets de la banque)."
            )
        billing_audit(
            BillingAction.SEPA_BATCH_CANCELLED,
            regie=batch.regie,
            debit_batch=batch,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=f"Lot {batch.message_id} du {batch.collection_date:%d/%m/%Y} abandonné",
        )
        batch.delete()


def sepa_batch_export(*, batch, actor, now=None, ip=None, user_agent=""):
    """The batch's pain.008.001.02 file (bytes): written at the first download, then
    always the same file (its message id must reach the bank once)."""
    now = now or timezone.now()
    with transaction.atomic():
        batch = _lock_batch(batch)
        if batch.state == DebitBatchState.DRAFT:
            debits = list(batch.debits.select_related("invoice").order_by("pk"))
            for debit in debits:
                debit.remittance = f"Facture {debit.invoice.number}"
            batch.xml = pain008(
                batch=batch, debits=debits, created_at=timezone.localtime(now)
            ).decode()
            batch.state = DebitBatchState.EXPORTED
            batch.exported_at = now
            batch.save(update_fields=["xml", "state", "exported_at"])
        billing_audit(
            BillingAction.SEPA_EXPORTED,
            regie=batch.regie,
            debit_batch=batch,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=f"Fichier {batch.message_id} téléchargé",
        )
    return batch.xml.encode()


def sepa_batch_settle(*, batch, actor, today=None, ip=None, user_agent=""):
    """The bank collected the batch: each debit not rejected becomes a payment of the
    collection date (method « Prélèvement »), allocated to its invoice."""
    today = today or timezone.localdate()
    with transaction.atomic():
        batch = _lock_batch(batch)
        if batch.state == DebitBatchState.DRAFT:
            raise ValidationError("Téléchargez d'abord le fichier du lot pour la banque.")
        if batch.state == DebitBatchState.SETTLED:
            raise ValidationError("Ce lot est déjà réglé.")
        if today < batch.collection_date:
            raise ValidationError(
                f"Le prélèvement a lieu le {batch.collection_date:%d/%m/%Y} : marquez le lot "
                "réglé à partir de ce jour."
            )
        debits = list(
            batch.debits.select_for_update(of=("self",))
            .filter(state=DebitState.PENDING)
            .select_related("invoice", "family")
            .order_by("pk")
        )
        for debit in debits:
            debit.payment = payment_record(
                regie=batch.regie,
                family=debit.family,
                amount=debit.amount,
                method=PaymentMethod.DIRECT_DEBIT,
                received_on=batch.collection_date,
                actor=actor,
                reference=debit.end_to_end_id,
                confirm_overpayment=True,
                provider_reference=f"sepa:{debit.end_to_end_id}",
                invoices=[debit.invoice],
                ip=ip,
                user_agent=user_agent,
            )
            debit.state = DebitState.COLLECTED
        Debit.objects.bulk_update(debits, ["payment", "state"])
        batch.state = DebitBatchState.SETTLED
        batch.settled_at = timezone.now()
        batch.settled_by = actor if getattr(actor, "is_authenticated", False) else None
        batch.save(update_fields=["state", "settled_at", "settled_by"])
        total = sum(debit.amount for debit in debits)
        billing_audit(
            BillingAction.SEPA_SETTLED,
            regie=batch.regie,
            debit_batch=batch,
            amount=total,
            actor=actor,
            ip=ip,
            user_agent=user_agent,
            summary=(
                f"Lot {batch.message_id} réglé : {len(debits)} prélèvement(s), {total} € "
                f"au {batch.collection_date:%d/%m/%Y}"
            ),
        )
    return batch


def sepa_debit_reject(
    *, debit, reason, actor, rejected_on=None, today=None, ip=None, user_agent=""
):
    """The bank rejected or returned ``debit`` (an R-transaction with its ISO reason
    code): the amount is due again (a reversal of its payment once the batch was
    settled), the family is told."""
    today = today or timezone.localdate()
    if reason not in RejectReason.values:
        raise ValidationError(
            {"reason": "Choisissez le motif de rejet donné par la banque (AC04, AM04, MD01…)."}
        )
    rejected_on = _day(rejected_on or today, "rejected_on")
    if rejected_on > today:
        raise ValidationError({"rejected_on": "La date du rejet ne peut pas être dans le futur."})
    with transaction.atomic():
        batch = _lock_batch(debit.batch)
        debit = (
            Debit.objects.select_for_update(of=("self",))
            .select_related("invoice", "family", "payment")
            .get(pk=debit.pk)
        )
        if batch.state == DebitBatchState.DRAFT:
            raise ValidationError(
                "Ce lot n'a pas été envoyé à la banque : abandonnez-le plutôt que d'y "
                "enregistrer un rejet."
            )
        if debit.state == DebitState.REJECTED:
            raise ValidationError("Ce prélèvement est déjà enregistré comme rejeté.")
        if rejected_on < timezone.localtime(batch.exported_at).date():
            raise ValidationError(
                {"rejected_on": "Le rejet ne peut pas précéder l'envoi du fichier à la banque."}
            )
        label = RejectReason(reason).label
        refs = {"debit_batch": batch, "invoice": debit.invoice}
        if debit.payment is not None:
            debit.reversal = payment_reverse(
                payment=debit.payment,
                received_on=rejected_on,
                actor=actor,
                reason=f"Prélèvement rejeté ({label})",
                action=BillingAction.SEPA_REJECTED,
                audit_refs=refs,
                ip=ip,
                user_agent=user_agent,
            )
        else:
            billing_audit(
                BillingAction.SEPA_REJECTED,
                regie=batch.regie,
                family_id=debit.family_id,
                amount=debit.amount,
                actor=actor,
                ip=ip,
                user_agent=user_agent,
                summary=f"Prélèvement {debit.end_to_end_id} rejeté avant règlement : {label}",
                **refs,
            )
        debit.state = DebitState.REJECTED
        debit.reject_reason = reason
        debit.rejected_on = rejected_on
        debit.rejected_by = actor if getattr(actor, "is_authenticated", False) else None
        debit.save(
            update_fields=["state", "reject_reason", "rejected_on", "rejected_by", "reversal"]
        )
        debit.batch = batch
        sepa_notices.debit_rejected(debit)
    return debit
