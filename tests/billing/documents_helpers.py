"""Helpers of the billing documents' tests: an issued month for a family, a login for
its responsable, the text of a PDF as a person reads it (pdftotext)."""

import datetime
import subprocess

from espace_prive.billing import services
from tests.billing.factories import DECEMBER, book, school_days
from tests.factories import make_user

TODAY = datetime.date(2027, 1, 4)


def issue_month(setup, families, *, month=DECEMBER, days=3, today=TODAY):
    """Book ``days`` school days of ``month`` for each child, draft and issue the run."""
    for family in families:
        for child in family.children.all():
            for day in school_days(month=month, count=days):
                book(child, setup, day)
    run = services.run_create(
        regie=setup["regie"], month=month, services=[setup["service"]], actor=None
    )
    services.run_draft(run=run)
    return services.run_issue(run=run, actor=None, today=today)


def login_for(family, *, email=None):
    """A login for ``family``'s responsable 1 (returns the user)."""
    user = make_user(email=email)
    guardian = family.guardians.order_by("pk").first()
    guardian.user = user
    guardian.email = user.email
    guardian.save(update_fields=["user", "email"])
    return user


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content
