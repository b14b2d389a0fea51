"""Reminders before the due date and dunning notices after it, as each régie sets them:
sent once per invoice (recorded under a unique constraint), caught up when a day was
missed, never for an invoice paid meanwhile, never when the régie set none."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction

from espace_prive.billing import services
from espace_prive.billing.models import Invoice, InvoiceNotice
from espace_prive.billing.services.reminders import reminders_send
from tests.billing.documents_helpers import issue_month
from tests.billing.factories import make_billed_family, make_billing_setup

pytestmark = pytest.mark.django_db

ISSUED_ON = datetime.date(2027, 1, 4)  # due 30 days later: 3 February 2027
DUE = ISSUED_ON + datetime.timedelta(days=30)


@pytest.fixture
def setup():
    setup = make_billing_setup()
    setup["regie"].__class__.objects.filter(pk=setup["regie"].pk).update(
        reminder_days_before=5, dunning_days_after=10
    )
    return setup


def _families(setup, count=2):
    families = []
    for n in range(count):
        family = make_billed_family(calendar=setup)
        family.guardians.update(email=f"famille{n}@example.test")
        families.append(family)
    issue_month(setup, families, today=ISSUED_ON)
    return families


def _send(today, capture):
    with capture(execute=True):
        return reminders_send(today=today)


def test_a_reminder_before_the_due_date_once(setup, django_capture_on_commit_callbacks):
    families = _families(setup)
    assert Invoice.objects.get(family=families[0]).due_date == DUE
    assert _send(DUE - datetime.timedelta(days=6), django_capture_on_commit_callbacks) == {
        "rappel": 0,
        "relance": 0,
    }
    assert (
        _send(DUE - datetime.timedelta(days=5), django_capture_on_commit_callbacks)["rappel"] == 2
    )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "famille0@example.test",
        "famille1@example.test",
    ]
    message = mail.outbox[0]
    assert message.subject.startswith("Rappel : facture ")
    assert "avant le 03/02/2027" in message.subject
    # The next days: nothing again.
    mail.outbox.clear()
    for days in (4, 1):
        _send(DUE - datetime.timedelta(days=days), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert InvoiceNotice.objects.filter(kind="rappel").count() == 2


def test_a_missed_day_is_caught_up_but_not_after_the_due_date(
    setup, django_capture_on_commit_callbacks
):
    _families(setup, count=1)
    assert _send(DUE, django_capture_on_commit_callbacks)["rappel"] == 0  # due today: too late
    assert (
        _send(DUE - datetime.timedelta(days=2), django_capture_on_commit_callbacks)["rappel"] == 1
    )


def test_a_dunning_notice_after_the_due_date_unless_paid(setup, django_capture_on_commit_callbacks):
    paid, unpaid = _families(setup)
    invoice = Invoice.objects.get(family=paid)
    services.payment_record(
        regie=setup["regie"],
        family=paid,
        amount=invoice.total,
        method="cheque",
        received_on=DUE,
        actor=None,
    )
    mail.outbox.clear()
    assert (
        _send(DUE + datetime.timedelta(days=9), django_capture_on_commit_callbacks)["relance"] == 0
    )
    counts = _send(DUE + datetime.timedelta(days=10), django_capture_on_commit_callbacks)
    assert counts["relance"] == 1
    (message,) = [m for m in mail.outbox if m.subject.startswith("Relance")]
    assert message.to == ["famille1@example.test"]
    remaining = Invoice.objects.get(family=unpaid).total
    assert f"{remaining}".replace(".", ",") in message.body
    mail.outbox.clear()
    _send(DUE + datetime.timedelta(days=40), django_capture_on_commit_callbacks)
    assert [m for m in mail.outbox if m.subject.startswith("Relance")] == []


def test_a_regie_without_reminders_sends_nothing(setup, django_capture_on_commit_callbacks):
    setup["regie"].__class__.objects.filter(pk=setup["regie"].pk).update(
        reminder_days_before=None, dunning_days_after=None
    )
    _families(setup, count=1)
    for day in (DUE - datetime.timedelta(days=3), DUE + datetime.timedelta(days=30)):
        assert _send(day, django_capture_on_commit_callbacks) == {"rappel": 0, "relance": 0}
    assert mail.outbox == [] and InvoiceNotice.objects.count() == 0


def test_the_database_refuses_a_second_notice_of_a_kind(setup):
    (family,) = _families(setup, count=1)
    invoice = Invoice.objects.get(family=family)
    InvoiceNotice.objects.create(invoice=invoice, kind="relance", channel="email")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoiceNotice.objects.create(invoice=invoice, kind="relance", channel="email")


def test_the_command_sends_the_day_s_reminders(setup, django_capture_on_commit_callbacks):
    _families(setup, count=1)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "billing_reminders", "--date", f"{DUE - datetime.timedelta(days=1)}", stdout=out
        )
    assert out.getvalue().strip() == "Rappels : 1, relances : 0."
    assert len(mail.outbox) == 1


def test_reminder_settings_out_of_range_are_refused_in_french(setup):
    regie = setup["regie"]
    regie.reminder_days_before = 0
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="supérieure ou égale à 1"):
        regie.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(regie).objects.filter(pk=regie.pk).update(dunning_days_after=Decimal(500))
