"""A régie set up for direct debit, families with a signed mandate, an issued invoice
each (December 2026, issued on 4 January 2027)."""

import datetime

from espace_prive.billing import services
from espace_prive.billing.models import Invoice
from espace_prive.billing.sepa_rules import creditor_identifier_for
from tests.billing.factories import DECEMBER, book, make_billed_family, school_days

TODAY = datetime.date(2027, 1, 4)  # a Monday
COLLECTION = datetime.date(2027, 1, 8)  # the Friday after
FAMILY_IBAN = "FR7630006000011234567890189"
FAMILY_BIC = "AGRIFRPPXXX"
REGIE_IBAN = "FR1420041010050500013M02606"
ICS = creditor_identifier_for("123456")


def sepa_regie(regie):
    regie.sepa_creditor_id = ICS
    regie.sepa_iban = REGIE_IBAN
    regie.sepa_bic = "PSSTFRPPGRE"
    regie.siret = "21380185500017"
    regie.full_clean()
    regie.save()
    return regie


def mandate_family(setup, *, mandate=True, days=3, **fields):
    if mandate:
        fields.update(
            iban=FAMILY_IBAN,
            bic=FAMILY_BIC,
            account_holder=fields.pop("account_holder", "Anne Roux-Dupré"),
            sepa_mandate_reference=fields.pop("rum", f"RUM-{Invoice.objects.count() + 1}"),
            sepa_mandate_signed_on=datetime.date(2026, 9, 1),
        )
    family = make_billed_family(calendar=setup, **fields)
    for day in school_days(count=days):
        book(family.children.get(), setup, day)
    return family


def issue_december(setup, month=DECEMBER, today=TODAY):
    run = services.run_create(
        regie=setup["regie"], month=month, services=[setup["service"]], actor=None
    )
    services.run_issue(run=services.run_draft(run=run), actor=None, today=today)
    return {invoice.family_id: invoice for invoice in Invoice.objects.filter(run=run)}
