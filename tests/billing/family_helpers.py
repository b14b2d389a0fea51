"""A family with a login and issued invoices (one per month), for the family pages and
the API of the billing."""

import datetime

from espace_prive.billing import services
from tests.billing.factories import book, make_billed_family, make_billing_setup, school_days
from tests.factories import make_user

MONTHS = [datetime.date(2026, m, 1) for m in (9, 10, 11, 12)] + [
    datetime.date(2027, m, 1) for m in (1, 2, 3, 4, 5, 6)
]


def with_login(family):
    """The family's responsable gets a login; returns the user."""
    user = make_user()
    guardian = family.guardians.get()
    guardian.user, guardian.email = user, user.email
    guardian.save(update_fields=["user", "email"])
    return user


def issue_month(setup, family, month, *, days=2):
    for child in family.children.all():
        for day in school_days(month, count=days):
            book(child, setup, day)
    run = services.run_create(
        regie=setup["regie"], month=month, services=[setup["service"]], actor=None
    )
    services.run_issue(
        run=services.run_draft(run=run),
        actor=None,
        today=month + datetime.timedelta(days=40),
    )
    return family.invoices.get(month=month)


def billed_account(*, months=1, setup=None, **family_fields):
    """(setup, family, user, invoices) with ``months`` issued invoices."""
    setup = setup or make_billing_setup()
    family = make_billed_family(calendar=setup, **family_fields)
    user = with_login(family)
    invoices = [issue_month(setup, family, month) for month in MONTHS[:months]]
    return setup, family, user, invoices
