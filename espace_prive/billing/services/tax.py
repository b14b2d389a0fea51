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

* Refunds and rejected direct debits: a reversed payment (``payment_reverse``: a SEPA
  R-transaction, a card payment given back) is money that was not kept; its negative
  allocations count against the year **of the payment it reverses** (the town rule
  chosen here: a December debit rejected in January was never paid in December). A
  payment received in January N+1 for a December N invoice counts in N+1 (paid, not
  billed, CGI art. 200 quater B).

Only a year that is over can be certified; once issued, an attestation is kept with its
PDF and handed out again as it was, never silently changed: when the amounts paid
change afterwards (a late rejection, a reversal), ``tax_certificate_outdated`` says so
and the staff list shows it « à réémettre ».
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, ExtractYear
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


def _in_year(year):
    """Allocations of payments received in ``year``, and reversals of those payments."""
    return Q(payment__reverses__isnull=True, payment__received_on__year=year) | Q(
        payment__reverses__received_on__year=year
    )


def _paid_by_invoice(*, family_ids, regie=None, year=None):
    """``{invoice_id: {year: amount paid that year}}`` for the families' invoices (of
    ``regie``, in ``year`` when given), only what is still paid (> 0). One query: a
    reversal counts in the year of the payment it reverses."""
    rows = Allocation.objects.filter(invoice__family_id__in=family_ids)
    if regie is not None:
        rows = rows.filter(invoice__regie=regie)
    if year is not None:
        rows = rows.filter(_in_year(year))
    rows = (
        rows.annotate(
            paid_year=ExtractYear(
                Coalesce("payment__reverses__received_on", "payment__received_on")
            )
        )
        .values("invoice_id", "paid_year")
        .annotate(paid=Sum("amount"))
        .order_by()
    )
    paid = {}
    for row in rows:
        if row["paid"] > 0:
            paid.setdefault(row["invoice_id"], {})[row["paid_year"]] = row["paid"]
    return paid


def _childcare_amounts(paid):
    """``{(family_id, regie_id, year): [ChildAmount, …]}`` from ``_paid_by_invoice``
    (two queries, whatever the number of invoices, years and children)."""
    if not paid:
        return {}
    totals = dict(Invoice.objects.filter(pk__in=paid).values_list("pk", "total"))
    first_year = min(year for years in paid.values() for year in years)
    lines = (
        InvoiceLine.objects.filter(
            invoice_id__in=paid,
            service__billing__childcare_tax_credit=True,
            reason__in=CARE_REASONS,
            child__birth_date__gte=datetime.date(first_year - 6, 1, 1),
        )
        .values(
            "invoice_id",
            "invoice__family_id",
            "invoice__regie_id",
            "child_id",
            "child__first_name",
            "child__last_name",
            "child__birth_date",
        )
        .annotate(amount=Sum("amount"))
        .order_by("child__birth_date", "child_id", "invoice_id")
    )
    grouped, names, births = {}, {}, {}
    for row in lines:
        total = totals[row["invoice_id"]]
        if total <= 0:
            continue
        child_id, birth = row["child_id"], row["child__birth_date"]
        for year, amount_paid in paid[row["invoice_id"]].items():
            if not under_six_on_january_first(birth, year):
                continue
            share = (row["amount"] * amount_paid / total).quantize(CENT, rounding=ROUND_HALF_UP)
            key = (row["invoice__family_id"], row["invoice__regie_id"], year)
            children = grouped.setdefault(key, {})
            children[child_id] = children.get(child_id, ZERO) + share
        names[child_id] = f"{row['child__first_name']} {row['child__last_name']}".strip()
        births[child_id] = birth
    result = {}
    for key, children in grouped.items():
        amounts = [
            ChildAmount(child_id, names[child_id], births[child_id], amount)
            for child_id, amount in children.items()
            if amount > 0
        ]
        if amounts:
            result[key] = amounts
    return result


def childcare_paid(*, regie, family, year):
    """The childcare paid to ``regie`` by ``family`` in ``year``, per child (children
    with nothing paid are left out), in the children's order."""
    return childcare_paid_by_family(regie=regie, family_ids=[family.pk], year=year).get(
        family.pk, []
    )


def childcare_paid_by_family(*, regie, family_ids, year):
    """``{family_id: [ChildAmount, …]}`` for several families at once (3 queries)."""
    regie_id = getattr(regie, "pk", regie)
    amounts = _childcare_amounts(_paid_by_invoice(family_ids=family_ids, regie=regie, year=year))
    return {
        family_id: children
        for (family_id, of_regie, of_year), children in amounts.items()
        if of_regie == regie_id and of_year == year
    }


def childcare_paid_by_year(*, family):
    """``{(regie_id, year): [ChildAmount, …]}``: every year and régie of ``family`` at
    once (3 queries, whatever the number of years)."""
    amounts = _childcare_amounts(_paid_by_invoice(family_ids=[family.pk]))
    return {(regie_id, year): children for (_f, regie_id, year), children in amounts.items()}


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
        Allocation.objects.filter(invoice__regie=regie, payment__received_on__year=year)
        .filter(payment__is_refund=False)
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


def _as_issued(amounts):
    return {a.child_id: a.amount for a in amounts}


def tax_certificate_outdated(certificate):
    """True when what was paid in the certificate's year no longer matches what it
    says (a payment reversed or recorded after issue): to be issued again."""
    return certificate.pk in outdated_certificates([certificate])


def outdated_certificates(certificates):
    """The pks of ``certificates`` whose amounts changed since issue (a few queries
    per régie and year, whatever the number of certificates)."""
    groups = {}
    for certificate in certificates:
        groups.setdefault((certificate.regie_id, certificate.year), []).append(certificate)
    outdated = set()
    for (regie_id, year), group in groups.items():
        now = childcare_paid_by_family(
            regie=regie_id, family_ids=[c.family_id for c in group], year=year
        )
        for certificate in group:
            then = {row["child_id"]: Decimal(row["amount"]) for row in certificate.detail}
            if _as_issued(now.get(certificate.family_id, [])) != then:
                outdated.add(certificate.pk)
    return outdated


@dataclass
class TaxYear:
    """One year of a family's attestations fiscales at one régie, as the family sees
    it: the issued attestation's figures once it exists, else those paid so far."""

    regie: object
    year: int
    available: bool
    children: list
    certificate: object = None

    @property
    def total(self):
        return sum((child.amount for child in self.children), ZERO)

    @property
    def number(self):
        return self.certificate.number if self.certificate else None

    @property
    def issued_at(self):
        return self.certificate.issued_at if self.certificate else None


def _issued_children(certificate):
    return [
        ChildAmount(
            row["child_id"],
            row["child_name"],
            datetime.date.fromisoformat(row["birth_date"]),
            Decimal(row["amount"]),
        )
        for row in certificate.detail
    ]


def family_tax_years(*, family, today=None):
    """The family's years with childcare paid, latest first (a year still open shows
    what is paid so far and is not ``available``). A fixed number of queries, whatever
    the number of years."""
    today = today or timezone.localdate()
    issued = {
        (c.regie_id, c.year): c
        for c in TaxCertificate.objects.filter(family=family).select_related("regie")
    }
    paid = childcare_paid_by_year(family=family)
    result = []
    for regie, year in years_paid(family=family):
        certificate = issued.get((regie.pk, year))
        if certificate is not None:
            children = _issued_children(certificate)
        else:
            children = paid.get((regie.pk, year), [])
        if children:
            result.append(TaxYear(regie, year, year < today.year, children, certificate))
    return result


def family_tax_year(*, family, regie_public_id, year, today=None):
    """One of ``family_tax_years``, or ``None``."""
    return next(
        (
            entry
            for entry in family_tax_years(family=family, today=today)
            if entry.regie.public_id == regie_public_id and entry.year == year
        ),
        None,
    )
