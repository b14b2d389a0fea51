"""Issued invoices and payments: the town's régie bills the canteen, the after-school
care and the leisure centre; the first month of the school year (once it is over) is
drafted and issued through the billing services, as staff would (numbering, lines from
the bookings, due dates), then most families pay: payments and their allocations are
written with ``bulk_create`` (two thirds pay in full, one in ten in part)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from espace_prive.accounts.demo import STAFF_EMAIL
from espace_prive.billing.models import (
    Allocation,
    BilledService,
    Invoice,
    InvoiceState,
    Payment,
    PaymentMethod,
    Regie,
)
from espace_prive.billing.services import runs
from espace_prive.bookings.models import Commune
from espace_prive.catalogue.models import Service

from . import bulk, timed

SERVICES = ("restauration-scolaire", "periscolaire", "accueil-de-loisirs")
METHODS = [PaymentMethod.CARD, PaymentMethod.DIRECT_DEBIT, PaymentMethod.CHEQUE]


def _regie(services):
    billed = BilledService.objects.filter(service__in=services).select_related("regie").first()
    if billed is not None:
        regie = billed.regie
    else:
        regie, _ = Regie.objects.get_or_create(
            name="Régie Enfance-Jeunesse de Belval",
            defaults={"commune": Commune.objects.get(name="Belval"), "city": "Belval"},
        )
    for service in services:
        if not BilledService.objects.filter(service=service).exists():
            BilledService.objects.create(regie=regie, service=service)
    return regie


def generate(town):
    staff = get_user_model().objects.get(email=STAFF_EMAIL)
    month = town.start.replace(day=1)
    after = (month + datetime.timedelta(days=32)).replace(day=1)
    if town.before_rentree:
        return
    if after > datetime.date.today():
        town.log("  billing: the first month of the school year is not over, nothing billed")
        return
    services = list(Service.objects.filter(slug__in=SERVICES))
    regie = _regie(services)
    families = {f.pk: f.reference for f in town.objects["families"]}
    with timed(town, f"billing: draft of {month:%m/%Y} (billing services)"):
        run = runs.run_create(regie=regie, month=month, services=services, actor=staff)
        runs.run_draft(run=run, actor=staff)
    with timed(town, f"billing: issue of {month:%m/%Y} (billing services)"):
        runs.run_issue(run=run, actor=staff, today=after)
    with timed(town, "billing: payments and allocations"):
        invoices = list(
            Invoice.objects.filter(run=run, state=InvoiceState.ISSUED, total__gt=0)
            .order_by("number")
            .only("pk", "family_id", "total", "issued_at")
        )
        payments, shares = [], []
        for invoice in invoices:
            if invoice.family_id not in families:
                continue
            rng = town.rng("billing", families[invoice.family_id])
            draw = rng.random()
            if draw >= 0.75:
                continue
            share = invoice.total if draw < 0.65 else (invoice.total / 2).quantize(Decimal("0.01"))
            if share <= 0:
                continue
            payments.append(
                Payment(
                    public_id=town.uuid(rng),
                    regie=regie,
                    family_id=invoice.family_id,
                    amount=share,
                    method=rng.choice(METHODS),
                    received_on=after + datetime.timedelta(days=rng.randrange(1, 25)),
                    recorded_by=staff,
                    recorded_at=town.at(after + datetime.timedelta(days=25)),
                )
            )
            shares.append((invoice, share))
        payments = bulk(Payment, payments)
        bulk(
            Allocation,
            [
                Allocation(payment=payment, invoice=invoice, amount=share)
                for payment, (invoice, share) in zip(payments, shares, strict=True)
            ],
        )
    town.log(f"  {len(invoices)} invoices issued, {len(payments)} payments")
