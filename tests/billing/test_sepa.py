"""SEPA direct debit services: a batch of the issued invoices of families with a mandate,
FRST then RCUR, the file exported once, settled (payments of the collection date through
the ledger, the invoices paid), a rejection putting the amount back due and telling the
family; bad input refused in French with nothing changed; the régie's SEPA fields."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from espace_prive.billing import services
from espace_prive.billing.models import (
    BillingAuditEntry,
    Debit,
    DebitBatch,
    Payment,
)
from espace_prive.billing.sepa_rules import (
    collection_date_error,
    creditor_identifier_is_valid,
    validate_creditor_identifier,
)
from espace_prive.billing.sepa_selectors import debit_candidates
from tests.billing.factories import make_billing_setup
from tests.billing.sepa_helpers import (
    COLLECTION,
    ICS,
    TODAY,
    issue_december,
    mandate_family,
    sepa_regie,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    setup = make_billing_setup()
    sepa_regie(setup["regie"])
    return setup


def create(setup, invoices, day=COLLECTION):
    return services.sepa_batch_create(
        regie=setup["regie"], collection_date=day, invoices=invoices, actor=None, today=TODAY
    )


def test_creditor_identifier_and_dates():
    assert creditor_identifier_is_valid(ICS) and ICS.startswith("FR") and len(ICS) == 13
    assert creditor_identifier_is_valid("DE98ZZZ09999999999")
    assert not creditor_identifier_is_valid(ICS[:2] + "00" + ICS[4:])
    with pytest.raises(ValidationError, match="clé de contrôle"):
        validate_creditor_identifier(ICS[:-1] + ("7" if ICS[-1] != "7" else "8"))
    assert "futur" in collection_date_error(TODAY, today=TODAY)
    assert "ouvré" in collection_date_error(datetime.date(2027, 1, 9), today=TODAY)  # Saturday
    assert "férié" in collection_date_error(
        datetime.date(2027, 3, 29), today=TODAY
    )  # Easter Monday
    friday = datetime.date(2027, 1, 8)
    assert collection_date_error(datetime.date(2027, 1, 11), today=friday) is None
    saturday = datetime.date(2027, 1, 9)
    assert collection_date_error(datetime.date(2027, 1, 11), today=saturday)  # Monday: too soon
    assert collection_date_error(datetime.date(2027, 1, 12), today=saturday) is None
    assert collection_date_error(datetime.date(2028, 2, 1), today=TODAY)


def test_regie_sepa_fields_are_validated(setup):
    regie = setup["regie"]
    regie.sepa_creditor_id = "FR00ZZZ123456"
    regie.sepa_bic = "DEUTDEFF"
    with pytest.raises(ValidationError) as error:
        regie.full_clean()
    assert "sepa_creditor_id" in error.value.message_dict
    assert "autre pays" in " ".join(error.value.message_dict["sepa_bic"])
    regie.sepa_creditor_id, regie.sepa_bic, regie.sepa_iban = "fr" + ICS[2:].lower(), "", ""
    with pytest.raises(ValidationError) as error:
        regie.full_clean()
    assert "IBAN" in " ".join(error.value.message_dict["sepa_iban"])


def test_batch_settle_then_reject_puts_the_amount_back_due(
    setup, django_capture_on_commit_callbacks
):
    family = mandate_family(setup)
    family.guardians.update(email="anne.roux@example.org")
    other = mandate_family(setup)
    invoices = issue_december(setup)
    invoice = invoices[family.pk]
    assert list(debit_candidates(regie=setup["regie"])) == sorted(
        invoices.values(), key=lambda i: (i.due_date, i.issued_at, i.sequence)
    )
    batch = create(setup, list(invoices.values()))
    debits = {d.family_id: d for d in batch.debits.all()}
    assert {d.sequence_type for d in debits.values()} == {"FRST"}
    debit = debits[family.pk]
    assert debit.amount == invoice.total == Decimal("7.50")
    assert debit.mandate_reference == family.sepa_mandate_reference
    assert debit.end_to_end_id == f"R{setup['regie'].pk}-{invoice.number}-L{batch.pk}"
    assert not debit_candidates(regie=setup["regie"]).exists()

    xml = services.sepa_batch_export(batch=batch, actor=None)
    assert services.sepa_batch_export(batch=batch, actor=None) == xml  # the same file
    batch.refresh_from_db()
    assert batch.state == "exporte" and b"<SeqTp>FRST</SeqTp>" in xml

    with pytest.raises(ValidationError, match="08/01/2027"):
        services.sepa_batch_settle(batch=batch, actor=None, today=TODAY)
    services.sepa_batch_settle(batch=batch, actor=None, today=COLLECTION)
    batch.refresh_from_db()
    debit.refresh_from_db()
    assert batch.state == "regle" and debit.state == "preleve"
    payment = debit.payment
    assert payment.method == "prelevement" and payment.received_on == COLLECTION
    assert payment.allocations.get().invoice == invoice
    assert services.invoice_remaining(invoice) == 0
    assert services.family_balance(regie=setup["regie"], family=family) == 0
    with pytest.raises(ValidationError, match="déjà réglé"):
        services.sepa_batch_settle(batch=batch, actor=None, today=COLLECTION)

    rejected_on = datetime.date(2027, 1, 12)
    with django_capture_on_commit_callbacks(execute=True):
        services.sepa_debit_reject(
            debit=debit, reason="AM04", actor=None, rejected_on=rejected_on, today=rejected_on
        )
    debit.refresh_from_db()
    assert debit.state == "rejete" and debit.reject_reason == "AM04"
    assert debit.reversal.amount == Decimal("-7.50") and debit.reversal.reverses == payment
    assert services.invoice_remaining(invoice) == Decimal("7.50")
    assert services.family_balance(regie=setup["regie"], family=family) == Decimal("7.50")
    assert services.invoice_remaining(invoices[other.pk]) == 0
    [message] = mail.outbox
    assert message.to == ["anne.roux@example.org"]
    assert "rejeté" in message.subject and "provision insuffisante" in message.body
    statement = services.family_statement(regie=setup["regie"], family=family)
    assert statement[-1].label.startswith("Annulation") and statement[-1].balance == Decimal("7.50")
    with pytest.raises(ValidationError, match="déjà enregistré"):
        services.sepa_debit_reject(debit=debit, reason="AM04", actor=None, today=rejected_on)
    assert Payment.objects.filter(family=family).count() == 2

    # The invoice due again goes into a new batch, now as a recurring debit for the
    # other family's mandate, a first one again for the rejected mandate.
    assert list(debit_candidates(regie=setup["regie"])) == [invoice]
    again = create(setup, [invoice], day=datetime.date(2027, 1, 15))
    assert again.debits.get().sequence_type == "FRST"
    actions = list(BillingAuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions.count("prelevements_prepares") == 2
    assert {"prelevements_exportes", "prelevements_regles", "prelevement_rejete"} <= set(actions)
    assert actions.count("paiement") == 2


def test_recurring_after_a_collected_debit(setup):
    family = mandate_family(setup)
    invoice = issue_december(setup)[family.pk]
    batch = create(setup, [invoice])
    services.sepa_batch_export(batch=batch, actor=None)
    services.sepa_batch_settle(batch=batch, actor=None, today=COLLECTION)
    january = datetime.date(2027, 1, 1)
    from tests.billing.factories import book, school_days

    for day in school_days(month=january, count=2):
        book(family.children.get(), setup, day)
    later = issue_december(setup, month=january, today=datetime.date(2027, 2, 1))[family.pk]
    second = services.sepa_batch_create(
        regie=setup["regie"],
        collection_date=datetime.date(2027, 2, 10),
        invoices=[later],
        actor=None,
        today=datetime.date(2027, 2, 1),
    )
    assert second.debits.get().sequence_type == "RCUR"


def test_rejection_before_settlement_skips_the_payment(setup):
    family = mandate_family(setup)
    invoice = issue_december(setup)[family.pk]
    batch = create(setup, [invoice])
    debit = batch.debits.get()
    with pytest.raises(ValidationError, match="abandonnez"):
        services.sepa_debit_reject(debit=debit, reason="AC04", actor=None, today=TODAY)
    services.sepa_batch_export(batch=batch, actor=None)
    services.sepa_debit_reject(debit=debit, reason="AC04", actor=None, today=TODAY)
    services.sepa_batch_settle(batch=batch, actor=None, today=COLLECTION)
    debit.refresh_from_db()
    assert debit.state == "rejete" and debit.payment is None and debit.reversal is None
    assert not Payment.objects.exists()
    assert services.invoice_remaining(invoice) == invoice.total


def test_bad_input_is_refused_in_french_and_nothing_changes(setup):
    with_mandate = mandate_family(setup)
    without = mandate_family(setup, mandate=False)
    invoices = issue_december(setup)
    good, bad = invoices[with_mandate.pk], invoices[without.pk]
    journal = BillingAuditEntry.objects.count()
    cases = [
        ({"day": TODAY}, "collection_date", "futur"),
        ({"day": datetime.date(2027, 1, 2)}, "collection_date", "futur"),
        ({"day": datetime.date(2027, 1, 9)}, "collection_date", "ouvré"),
        ({"invoices": []}, "invoices", "au moins une facture"),
        ({"invoices": [good, bad]}, "invoices", "pas de mandat"),
    ]
    for changes, field, words in cases:
        with pytest.raises(ValidationError) as error:
            create(setup, changes.get("invoices", [good]), day=changes.get("day", COLLECTION))
        assert words in " ".join(error.value.message_dict[field])
    assert not DebitBatch.objects.exists() and BillingAuditEntry.objects.count() == journal
    create(setup, [good])
    with pytest.raises(ValidationError) as error:
        create(setup, [good], day=datetime.date(2027, 1, 11))
    assert "déjà dans le lot de prélèvements du 08/01/2027" in str(error.value)
    assert DebitBatch.objects.count() == 1 and Debit.objects.count() == 1
    regie = setup["regie"]
    regie.sepa_creditor_id = regie.sepa_iban = ""
    regie.save()
    with pytest.raises(ValidationError, match="ICS"):
        create(setup, [good])
    batch = DebitBatch.objects.get()
    services.sepa_batch_export(batch=batch, actor=None)
    with pytest.raises(ValidationError, match="motif"):
        services.sepa_debit_reject(debit=batch.debits.get(), reason="XX99", actor=None)
    with pytest.raises(ValidationError, match="futur"):
        services.sepa_debit_reject(
            debit=batch.debits.get(),
            reason="AM04",
            actor=None,
            rejected_on=TODAY + datetime.timedelta(days=1),
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="abandonné"):
        services.sepa_batch_cancel(batch=batch, actor=None)
    assert batch.debits.get().state == "a_prelever"


def test_a_draft_batch_can_be_given_up(setup):
    family = mandate_family(setup)
    invoice = issue_december(setup)[family.pk]
    batch = create(setup, [invoice])
    services.sepa_batch_cancel(batch=batch, actor=None)
    assert not DebitBatch.objects.exists() and not Debit.objects.exists()
    assert list(debit_candidates(regie=setup["regie"])) == [invoice]
    assert BillingAuditEntry.objects.filter(action="prelevements_abandonnes").exists()
