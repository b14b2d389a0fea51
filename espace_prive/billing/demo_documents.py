"""Demo billing documents: the Martins' attestation fiscale of last year.

Hugo Martin (born in 2021) went to the accueil périscolaire in November of last year;
the invoice was paid by cheque in December: his attestation fiscale of last year lists
those sessions (the périscolaire is flagged « garde hors du domicile »; the canteen is
not). Idempotent: the invoice, payment and attestation are made once.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from espace_prive.bookings.models import Commune
from espace_prive.catalogue.models import TariffGrid

from .models import (
    Allocation,
    BilledService,
    Invoice,
    InvoiceLine,
    InvoiceService,
    InvoiceState,
    LineReason,
    Payment,
    PaymentMethod,
    Regie,
    SequenceKind,
)
from .services.numbering import number_next
from .services.tax import tax_certificate_issue

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CHILDCARE_SLUGS = ("periscolaire", "accueil-de-loisirs")
SESSIONS = 8
DEMO_CHEQUE = "demo-attestation-martin"


def _regie(services):
    """The régie billing the demo services (the one another seeder made, else ours)."""
    billed = BilledService.objects.filter(service__in=services).select_related("regie").first()
    if billed is not None:
        regie = billed.regie
    else:
        regie = Regie.objects.filter(commune__name="Belval").order_by("pk").first()
    if regie is None:
        regie, _ = Regie.objects.get_or_create(
            name="Régie enfance de Belval",
            defaults={
                "commune": Commune.objects.get(name="Belval"),
                "address": "Place de la Mairie",
                "postcode": "45000",
                "city": "Belval",
                "siret": "21450999900017",
                "email": "regie@demo.portail-famille.fr",
            },
        )
    for service in services:
        billed, _ = BilledService.objects.get_or_create(service=service, defaults={"regie": regie})
        if billed.service.slug in CHILDCARE_SLUGS and not billed.childcare_tax_credit:
            billed.childcare_tax_credit = True
            billed.save(update_fields=["childcare_tax_credit"])
    return regie


def _school_days(month, count):
    day, days = month, []
    while len(days) < count:
        if day.weekday() in (0, 1, 3, 4):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _last_year_invoice(regie, family, child, service, year):
    """November's périscolaire of ``year`` for ``child``, issued on 1 December."""
    month = datetime.date(year, 11, 1)
    invoice = Invoice.objects.filter(regie=regie, family=family, month=month, run=None).first()
    if invoice is not None:
        return invoice
    grid = TariffGrid.objects.filter(service=service).order_by("-valid_from").first()
    quotient = family.quotient_familial or Decimal(0)
    band = next((b for b in grid.bands.all() if b.contains(quotient)), None) if grid else None
    price = band.price if band else Decimal("1.70")
    label = f"{grid.label} : {band} (QF {quotient})" if band else "Tarif de l'année"
    days = _school_days(month, SESSIONS)
    guardian = family.primary_guardian
    invoice = Invoice.objects.create(
        regie=regie,
        family=family,
        month=month,
        period_start=month,
        period_end=datetime.date(year, 11, 30),
        payer_name=guardian.formal_name if guardian else str(family),
        payer_address=f"{family.address}\n{family.postcode} {family.city}",
        total=price * len(days),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            day=day,
            child=child,
            child_name=child.full_name,
            service=service,
            service_name=service.name,
            unit_label="Accueil du soir",
            quantity=1,
            unit_price=price,
            amount=price,
            pricing_label=label[:255],
            reason=LineReason.BOOKED,
        )
        for day in days
    )
    sequence, number = number_next(regie=regie, kind=SequenceKind.INVOICE, year=year)
    issued_at = datetime.datetime(year, 12, 1, 9, tzinfo=PARIS)
    Invoice.objects.filter(pk=invoice.pk).update(
        state=InvoiceState.ISSUED,
        year=year,
        sequence=sequence,
        number=number,
        issued_at=issued_at,
        due_date=datetime.date(year, 12, 31),
    )
    InvoiceService.objects.create(invoice=invoice, family=family, month=month, service=service)
    invoice.refresh_from_db()
    payment, _ = Payment.objects.get_or_create(
        provider_reference=DEMO_CHEQUE,
        defaults={
            "regie": regie,
            "family": family,
            "amount": invoice.total,
            "method": PaymentMethod.CHEQUE,
            "received_on": datetime.date(year, 12, 10),
            "reference": "Chèque n° 4471021",
            "recorded_at": datetime.datetime(year, 12, 10, 10, tzinfo=PARIS),
        },
    )
    Allocation.objects.get_or_create(
        payment=payment, invoice=invoice, defaults={"amount": invoice.total}
    )
    return invoice


def seed_billing_documents(demo):
    services = [demo.objects["services"][slug] for slug in demo.objects["services"]]
    regie = _regie(services)
    martin = demo.objects["children"]["hugo"].family
    hugo = demo.objects["children"]["hugo"]
    year = timezone.localdate().year - 1
    _last_year_invoice(regie, martin, hugo, demo.objects["services"]["periscolaire"], year)
    try:
        tax_certificate_issue(regie=regie, family=martin, year=year)
    except ValidationError:  # Hugo no longer under 6 on 1 January of last year
        return
    demo.objects["billing_regie"] = regie
