"""Demo of the SEPA direct debit (issue 13, item 7): the régie gets its creditor
identifier (ICS) and account, the Bernard family a signed mandate, an issued invoice
for the canteen two months ago, collected by a settled debit last month (its
pain.008 file in the batch's page under « Facturation › Prélèvements SEPA »).
Idempotent: nothing is added once the Bernards have a debit."""

import datetime
from decimal import Decimal

from django.utils import timezone

from espace_prive.bookings.models import Commune

from . import services
from .models import BilledService, Debit, Invoice, InvoiceLine, LineReason, Regie
from .sepa_rules import creditor_identifier_for, is_business_day

REGIE_NAME = "Régie périscolaire de Belval"
ICS = creditor_identifier_for("BEL045")
REGIE_IBAN = "FR1420041010050500013M02606"
BERNARD_IBAN = "FR1130004000030001234567806"
LUNCH_PRICE = Decimal("3.80")


def _regie(demo):
    canteen = demo.objects["services"]["restauration-scolaire"]
    billed = BilledService.objects.filter(service=canteen).select_related("regie").first()
    if billed is not None:
        regie = billed.regie
    else:
        commune = Commune.objects.order_by("pk").first()
        regie, _ = Regie.objects.get_or_create(
            name=REGIE_NAME,
            defaults={
                "commune": commune,
                "siret": "21450999900018",
                "address": "1 place de la Mairie",
                "postcode": "45000",
                "city": "Belval",
                "email": "regie@demo.portail-famille.fr",
            },
        )
        BilledService.objects.create(regie=regie, service=canteen)
    if not regie.offers_direct_debit:
        regie.sepa_creditor_id, regie.sepa_iban, regie.sepa_bic = ICS, REGIE_IBAN, "PSSTFRPPORL"
        regie.save(update_fields=["sepa_creditor_id", "sepa_iban", "sepa_bic"])
    return regie, canteen


def _business_day_from(day):
    while not is_business_day(day):
        day += datetime.timedelta(days=1)
    return day


def seed(demo):
    regie, canteen = _regie(demo)
    bernard = demo.objects["families"]["bernard"]
    if not bernard.has_active_sepa_mandate:
        bernard.account_holder = "Karim Bernard"
        bernard.iban, bernard.bic = BERNARD_IBAN, "BNPAFRPPXXX"
        bernard.sepa_mandate_reference = "BELVAL-FAM-00002-01"
        bernard.sepa_mandate_signed_on = datetime.date(2025, 9, 1)
        bernard.save()
    if Debit.objects.filter(family=bernard).exists():
        return
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    month = (last_month - datetime.timedelta(days=1)).replace(day=1)
    issued_on = last_month + datetime.timedelta(days=2)
    child = bernard.children.order_by("birth_date", "pk").first()
    invoice = Invoice.objects.create(
        regie=regie,
        family=bernard,
        month=month,
        period_start=month,
        period_end=last_month - datetime.timedelta(days=1),
        payer_name="M. Karim Bernard",
    )
    days = [
        month + datetime.timedelta(days=n)
        for n in range(28)
        if (month + datetime.timedelta(days=n)).weekday() in (0, 1, 3, 4)
    ][:8]
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            day=day,
            child=child,
            child_name=child.full_name,
            service=canteen,
            service_name=canteen.name,
            unit_label="Repas",
            quantity=Decimal("1"),
            unit_price=LUNCH_PRICE,
            amount=LUNCH_PRICE,
            pricing_label="QF 1180 : tranche 1001 à 1400",
            reason=LineReason.BOOKED,
        )
        for day in days
    )
    invoice.total = LUNCH_PRICE * len(days)
    invoice.save(update_fields=["total"])
    invoice = services.invoice_issue(invoice=invoice, today=issued_on)
    collection = _business_day_from(last_month + datetime.timedelta(days=14))
    batch = services.sepa_batch_create(
        regie=regie,
        collection_date=collection,
        invoices=[invoice],
        actor=None,
        today=collection - datetime.timedelta(days=5),
    )
    services.sepa_batch_export(batch=batch, actor=None)
    services.sepa_batch_settle(batch=batch, actor=None, today=collection)
