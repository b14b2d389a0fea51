"""The family's billing documents: an invoice's PDF (made once, kept, handed out as a
private download), its attestations fiscales (the years paid, each one's PDF). Another
family's invoice, a draft, or a year with nothing to certify is a 404."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from espace_prive.access import family_required
from espace_prive.downloads import private_file_download

from .models import Invoice, InvoiceState, Regie
from .pdf import invoice_pdf_ensure
from .services.tax import childcare_paid_by_year, tax_certificate_issue, years_paid


def invoice_download(invoice):
    """The stored PDF of ``invoice`` (made now if the background task has not yet)."""
    invoice = invoice_pdf_ensure(invoice)
    if not invoice.pdf:
        raise Http404("Facture introuvable.")
    return private_file_download(invoice.pdf.name, "facture", invoice.number)


@family_required
def invoice_pdf(request, invoice_id):
    invoice = get_object_or_404(
        Invoice, public_id=invoice_id, family=request.family, state=InvoiceState.ISSUED
    )
    return invoice_download(invoice)


@family_required
def tax_certificates(request):
    """The years the family paid something, each with its childcare total."""
    family, today = request.family, timezone.localdate()
    years, paid = [], childcare_paid_by_year(family=family)
    for regie, year in years_paid(family=family):
        is_open = year >= today.year
        amounts = [] if is_open else paid.get((regie.pk, year), [])
        years.append(
            {
                "regie": regie,
                "year": year,
                "open": is_open,
                "total": sum(a.amount for a in amounts),
            }
        )
    return render(
        request,
        "billing/tax_certificates.html",
        {"years": years, "several_regies": len({e["regie"].pk for e in years}) > 1},
    )


def tax_certificate_download(family, regie_id, year):
    """The family's attestation of ``year`` (issued now if not yet) as a download; a
    year not over, with nothing to certify, or another régie's id: 404."""
    regie = get_object_or_404(Regie, public_id=regie_id)
    try:
        certificate = tax_certificate_issue(regie=regie, family=family, year=year)
    except ValidationError as error:
        raise Http404("Aucune attestation fiscale pour cette année.") from error
    return private_file_download(certificate.pdf.name, "attestation fiscale", year)


@family_required
def tax_certificate_pdf(request, regie_id, year):
    return tax_certificate_download(request.family, regie_id, year)
