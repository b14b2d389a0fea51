"""Attestation fiscale: the childcare amounts paid in a calendar year for children under
6 on 1 January, per child, for the services that qualify; a PDF the family downloads
(another family: 404), the year's attestations issued by staff in bulk and kept."""

import datetime
import html
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from espace_prive.billing import services
from espace_prive.billing.models import BillingAuditEntry, Invoice, TaxCertificate
from espace_prive.billing.services.tax import (
    childcare_paid,
    tax_certificate_issue,
    under_six_on_january_first,
)
from espace_prive.families.models import Child
from tests.billing.documents_helpers import body, issue_month, login_for, pdf_text
from tests.billing.factories import make_billed_family, make_billing_setup
from tests.conftest import sign_in
from tests.factories import make_staff_with_perms

pytestmark = pytest.mark.django_db

YEAR = 2026
AFTER = datetime.date(2027, 1, 10)  # the year is over


@pytest.fixture
def setup():
    setup = make_billing_setup()
    setup["regie"].billed_services.update(childcare_tax_credit=True)
    return setup


def _family(setup, births):
    family = make_billed_family(calendar=setup, children=len(births))
    for child, born in zip(family.children.order_by("pk"), births, strict=True):
        Child.objects.filter(pk=child.pk).update(birth_date=born)
    return family


def _pay(setup, family, amount, on):
    return services.payment_record(
        regie=setup["regie"],
        family=family,
        amount=Decimal(amount),
        method="cheque",
        received_on=on,
        actor=None,
        confirm_overpayment=True,
    )


def _child_total(family, child):
    return sum(line.amount for line in Invoice.objects.get(family=family).lines.filter(child=child))


def test_under_six_on_the_first_of_january():
    assert under_six_on_january_first(datetime.date(2020, 1, 1), 2026)  # born in N-6
    assert under_six_on_january_first(datetime.date(2020, 12, 31), 2026)
    assert not under_six_on_january_first(datetime.date(2019, 12, 31), 2026)
    assert not under_six_on_january_first(None, 2026)


def test_only_children_under_six_on_january_first_count(setup):
    family = _family(
        setup, [datetime.date(2020, 1, 1), datetime.date(2019, 12, 31), datetime.date(2023, 5, 5)]
    )
    issue_month(setup, [family])
    invoice = Invoice.objects.get(family=family)
    _pay(setup, family, invoice.total, datetime.date(YEAR, 12, 20))
    amounts = childcare_paid(regie=setup["regie"], family=family, year=YEAR)
    children = list(family.children.order_by("pk"))
    assert {a.child_id: a.amount for a in amounts} == {
        children[0].pk: _child_total(family, children[0]),
        children[2].pk: _child_total(family, children[2]),
    }


def test_only_what_was_paid_that_year_counts(setup):
    family = _family(setup, [datetime.date(2022, 3, 1)])
    issue_month(setup, [family])
    invoice = Invoice.objects.get(family=family)
    half = (invoice.total / 2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    _pay(setup, family, half, datetime.date(YEAR, 12, 28))
    _pay(setup, family, invoice.total - half, datetime.date(YEAR + 1, 1, 5))
    (this_year,) = childcare_paid(regie=setup["regie"], family=family, year=YEAR)
    (next_year,) = childcare_paid(regie=setup["regie"], family=family, year=YEAR + 1)
    assert this_year.amount == half
    assert next_year.amount == invoice.total - half
    assert childcare_paid(regie=setup["regie"], family=family, year=YEAR - 1) == []


def test_an_unpaid_invoice_gives_nothing(setup):
    family = _family(setup, [datetime.date(2022, 3, 1)])
    issue_month(setup, [family])
    assert childcare_paid(regie=setup["regie"], family=family, year=YEAR) == []


def test_services_that_do_not_qualify_are_left_out(setup):
    setup["regie"].billed_services.update(childcare_tax_credit=False)  # a canteen
    family = _family(setup, [datetime.date(2022, 3, 1)])
    issue_month(setup, [family])
    _pay(setup, family, Invoice.objects.get(family=family).total, datetime.date(YEAR, 12, 20))
    assert childcare_paid(regie=setup["regie"], family=family, year=YEAR) == []
    with pytest.raises(ValidationError, match="Aucune somme payée en 2026"):
        tax_certificate_issue(regie=setup["regie"], family=family, year=YEAR, today=AFTER)


def test_the_attestation_is_issued_once_with_its_pdf(setup):
    family = _family(setup, [datetime.date(2022, 3, 1)])
    issue_month(setup, [family])
    invoice = Invoice.objects.get(family=family)
    _pay(setup, family, invoice.total, datetime.date(YEAR, 12, 20))
    with pytest.raises(ValidationError, match="à partir du 1er janvier 2027"):
        tax_certificate_issue(
            regie=setup["regie"], family=family, year=YEAR, today=datetime.date(YEAR, 12, 31)
        )
    certificate = tax_certificate_issue(regie=setup["regie"], family=family, year=YEAR, today=AFTER)
    assert certificate.total == invoice.total and certificate.pdf
    again = tax_certificate_issue(regie=setup["regie"], family=family, year=YEAR, today=AFTER)
    assert again.pk == certificate.pk and TaxCertificate.objects.count() == 1
    from django.core.files.storage import storages

    with storages["private"].open(certificate.pdf.name, "rb") as handle:
        text = " ".join(pdf_text(handle.read()).split())
    child = family.children.get()
    assert "Attestation fiscale 2026" in text
    assert f"{child.full_name} 01/03/2022" in text
    assert "moins de 6 ans au 1er janvier 2026" in text


def _last_year_paid(setup, family):
    """Payments received last year (the family page offers only years that are over)."""
    year = timezone.localdate().year - 1
    issue_month(setup, [family])
    _pay(setup, family, Invoice.objects.get(family=family).total, datetime.date(year, 12, 20))
    return year


def test_the_family_lists_its_years_and_downloads_another_family_404(setup):
    year = timezone.localdate().year - 1
    family = _family(setup, [datetime.date(year - 3, 1, 1)])
    _last_year_paid(setup, family)
    client = Client()
    client.force_login(login_for(family))
    page = client.get(reverse("espace_prive:billing:tax_certificates")).content.decode()
    url = reverse("espace_prive:billing:tax_certificate_pdf", args=[setup["regie"].public_id, year])
    assert f"Année {year}" in page and url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="attestation-fiscale-{year}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert f"Attestation fiscale {year}" in pdf_text(body(response))
    other = _family(setup, [datetime.date(year - 2, 1, 1)])
    stranger = Client()
    stranger.force_login(login_for(other))
    assert stranger.get(url).status_code == 404
    assert TaxCertificate.objects.filter(family=other).count() == 0


def test_staff_issue_a_year_in_bulk_and_download(setup, django_capture_on_commit_callbacks):
    year = timezone.localdate().year - 1
    families = [_family(setup, [datetime.date(year - 2, 6, 1)]) for _ in range(2)]
    for family in families:
        _last_year_paid(setup, family)
    url = reverse("billing_admin:tax_certificates")
    viewer = sign_in(Client(), make_staff_with_perms("billing.view_invoice"))
    with django_capture_on_commit_callbacks(execute=True):
        denied = viewer.post(url, {"emission-regie": setup["regie"].pk, "emission-year": year})
    assert denied.status_code in (302, 403)
    assert TaxCertificate.objects.count() == 0
    staff = sign_in(Client(), make_staff_with_perms("billing.view_invoice", "billing.run_billing"))
    refused = staff.post(url, {"emission-regie": setup["regie"].pk, "emission-year": year + 1})
    assert refused.status_code == 400 and "n'est pas terminée" in html.unescape(
        refused.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"emission-regie": setup["regie"].pk, "emission-year": year})
    assert response.status_code == 302
    assert TaxCertificate.objects.filter(year=year).count() == 2
    assert BillingAuditEntry.objects.filter(action="attestations_fiscales").count() == 1
    listing = staff.get(response["Location"]).content.decode()
    certificate = TaxCertificate.objects.first()
    pdf_url = reverse("billing_admin:tax_certificate_pdf", args=[certificate.public_id])
    assert pdf_url in listing
    download = staff.get(pdf_url)
    assert download.status_code == 200
    assert f"Attestation fiscale {year}" in pdf_text(body(download))
