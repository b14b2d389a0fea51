"""Attestation fiscale (frais de garde, CGI art. 200 quater B): per régie, family and
calendar year, the childcare amounts **paid** that year, per child.

* Paid: the parts of payments received that year (``Payment.received_on``) allocated
  to invoices; an invoice paid in part counts for the same part of each of its lines
  (rounded half-up to the cent, per child and invoice).
* Childcare: lines of services billed with ``childcare_tax_credit`` (garde hors du
  domicile; never the canteen), for care given (booked, present, unbooked presence);
  absence and late-cancellation charges are no care and are left out.
* Children under 6 on 1 January of the year: born in year − 6 or later (a child born
  in N−6 counts for all of N, BOFiP BOI-IR-RICI-300).

Only a year that is over can be certified; once issued, an attestation is kept with its
PDF and handed out again as it was.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from espace_prive.families.models import Family

from ..audit import billing_audit
from ..models import Allocation, BillingAction, Invoice, InvoiceLine, LineReason, TaxCertificate

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
CARE_REASONS = (LineReason.BOOKED, LineReason.PRESENT, LineReason.UNBOOKED_PRESENCE)


def under_six_on_january_first(birth_date, year):
    """Under 6 on 1 January ``year``: born on or after 1 January ``year`` − 6."""
    return birth_date is not None and birth_date >= datetime.date(year - 6, 1, 1)


@dataclass(frozen=True)
class ChildAmount:
    child_id: int
    child_name: str
    birth_date: datetime.date
    amount: Decimal


def _paid_in_year(*, regie, family_ids, year):
    """``{invoice_id: amount paid in year}`` for the families' invoices of ``regie``."""
    rows = (
        Allocation.objects.filter(
            invoice__regie=regie,
            invoice__family_id__in=family_ids,
            payment__received_on__year=year,
            payment__is_refund=False,
        )
        .values("invoice_id")
        .annotate(paid=Sum("amount"))
    )
    return {row["invoice_id"]: row["paid"] for row in rows}


def childcare_paid(*, regie, family, year):
    """The childcare paid to ``regie`` by ``family`` in ``year``, per child (children
    with nothing paid are left out), in the children's order."""
    paid = _paid_in_year(regie=regie, family_ids=[family.pk], year=year)
    if not paid:
        return []
    totals = dict(Invoice.objects.filter(pk__in=paid).values_list("pk", "total"))
    lines = (
        InvoiceLine.objects.filter(
            invoice_id__in=paid,
            service__billing__childcare_tax_credit=True,
            reason__in=CARE_REASONS,
            child__birth_date__gte=datetime.date(year - 6, 1, 1),
        )
        .values("invoice_id", "child_id", "child__first_name", "child__last_name")
        .annotate(amount=Sum("amount"))
        .order_by("child__birth_date", "child_id", "invoice_id")
    )
    by_child, names = {}, {}
    births = {}
    for row in lines:
        total = totals[row["invoice_id"]]
        if total <= 0:
            continue
        share = (row["amount"] * paid[row["invoice_id"]] / total).quantize(
            CENT, rounding=ROUND_HALF_UP
        )
        child_id = row["child_id"]
        by_child[child_id] = by_child.get(child_id, ZERO) + share
        names[child_id] = f"{row['child__first_name']} {row['child__last_name']}".strip()
    if by_child:
        births = dict(family.children.filter(pk__in=by_child).values_list("pk", "birth_date"))
    return [
        ChildAmount(child_id, names[child_id], births[child_id], amount)
        for child_id, amount in by_child.items()
        if amount > 0
    ]


def years_paid(*, family):
    """``[(regie, year), …]`` with payments received from ``family`` (latest first)."""
    from ..models import Regie

    rows = (
        Allocation.objects.filter(invoice__family=family, payment__is_refund=False)
        .values_list("invoice__regie_id", "payment__received_on__year")
        .distinct()
    )
    regies = Regie.objects.in_bulk({regie_id for regie_id, _year in rows})
    return sorted(
        ((regies[regie_id], year) for regie_id, year in rows),
        key=lambda pair: (-pair[1], pair[0].name),
    )


def _check_year(year, today):
    today = today or timezone.localdate()
    if year >= today.year:
        raise ValidationError(
            f"L'attestation fiscale de {year} sera disponible à partir du 1er janvier {year + 1}."
        )


def _payer(family):
    guardian = family.primary_guardian
    name = guardian.formal_name if guardian else str(family)
    lines = [family.address, family.address_complement, f"{family.postcode} {family.city}"]
    return name[:255], "\n".join(line.strip() for line in lines if line.strip())


def tax_certificate_issue(*, regie, family, year, actor=None, today=None):
    """The family's attestation of ``year`` for ``regie``: the one issued already, or a
    new one with its PDF. Refused for a year not over, or with nothing to certify."""
    from ..pdf import render_pdf

    _check_year(year, today)
    existing = TaxCertificate.objects.filter(regie=regie, family=family, year=year).first()
    if existing is not None:
        return existing
    amounts = childcare_paid(regie=regie, family=family, year=year)
    if not amounts:
        raise ValidationError(
            f"Aucune somme payée en {year} pour la garde d'un enfant de moins de 6 ans."
        )
    family = Family.objects.prefetch_related("guardians").get(pk=family.pk)
    name, address = _payer(family)
    certificate = TaxCertificate(
        regie=regie,
        family=family,
        year=year,
        number=f"AF-{year}-{regie.pk:02d}-{family.reference}"[:40],
        payer_name=name,
        payer_address=address,
        total=sum((a.amount for a in amounts), ZERO),
        detail=[
            {
                "child_id": a.child_id,
                "child_name": a.child_name,
                "birth_date": a.birth_date.isoformat(),
                "amount": str(a.amount),
            }
            for a in amounts
        ],
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    content = render_pdf(
        "billing/pdf/tax_certificate.html",
        {"certificate": certificate, "regie": regie, "amounts": amounts},
    )
    storage = storages["private"]
    certificate.pdf = storage.save(
        f"attestations-fiscales/{regie.pk}/{year}/{family.reference}.pdf", ContentFile(content)
    )
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        storage.delete(certificate.pdf.name)  # issued meanwhile by another process
        return TaxCertificate.objects.get(regie=regie, family=family, year=year)
    return certificate


def tax_certificates_issue_year(*, regie, year, actor=None, today=None):
    """Every attestation of ``year`` for ``regie`` (those already issued are kept);
    returns how many were issued now."""
    _check_year(year, today)
    family_ids = (
        Allocation.objects.filter(
            invoice__regie=regie, payment__received_on__year=year, payment__is_refund=False
        )
        .values_list("invoice__family_id", flat=True)
        .distinct()
    )
    done = set(
        TaxCertificate.objects.filter(regie=regie, year=year).values_list("family_id", flat=True)
    )
    issued = 0
    for family in Family.objects.filter(pk__in=family_ids).exclude(pk__in=done).order_by("pk"):
        if not childcare_paid(regie=regie, family=family, year=year):
            continue
        tax_certificate_issue(regie=regie, family=family, year=year, actor=actor, today=today)
        issued += 1
    billing_audit(
        BillingAction.TAX_CERTIFICATES,
        regie=regie,
        actor=actor,
        summary=f"Attestations fiscales {year} : {issued} émise(s)",
    )
    return issued
