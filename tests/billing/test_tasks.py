"""The run's background tasks (django.tasks, immediate backend here): a draft stopped
half-way and enqueued again goes on after the last family it finished; an issue stopped
half-way issues only the drafts left, numbers without a gap; 2,000 families in one
month add up to the cent, and issued twice give no second invoice."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from espace_prive.billing import services
from espace_prive.billing.models import (
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    InvoiceService,
    InvoiceState,
)
from espace_prive.billing.services import runs
from espace_prive.bookings.models import Booking, Enrolment
from espace_prive.families.models import Child, Family, Guardian
from tests.billing.factories import DECEMBER, book, make_billed_family, make_billing_setup
from tests.billing.factories import school_days as days_of

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 1, 4)


class Stop(Exception):
    pass


def _families(setup, count):
    for _ in range(count):
        family = make_billed_family(calendar=setup)
        book(family.children.get(), setup, days_of(count=1)[0])


def _run(setup):
    return services.run_create(
        regie=setup["regie"], month=DECEMBER, services=[setup["service"]], actor=None
    )


def test_a_draft_task_stopped_half_way_goes_on_where_it_stopped(
    monkeypatch, django_capture_on_commit_callbacks
):
    setup = make_billing_setup()
    _families(setup, 5)
    run = _run(setup)
    monkeypatch.setattr(runs, "BATCH_SIZE", 2)

    def stop_after_first(run, batch_number):
        raise Stop("coupure")

    monkeypatch.setattr(runs, "_batch_checkpoint", stop_after_first)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_draft_enqueue(run=run, actor=None)
    run.refresh_from_db()
    assert run.job == "brouillon" and run.job_done == 2 and "coupure" in run.job_error
    first = dict(Invoice.objects.values_list("family_id", "pk"))
    assert len(first) == 2 and run.draft_count == 0
    # Starting another draft while this one is unfinished is refused.
    with pytest.raises(Exception, match="déjà en cours"):
        services.run_draft_enqueue(run=run, actor=None)

    monkeypatch.setattr(runs, "_batch_checkpoint", lambda run, n: None)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_job_resume(run=run, actor=None)
    run.refresh_from_db()
    assert run.job == "" and run.draft_count == 1 and run.job_done == 5
    invoices = dict(Invoice.objects.values_list("family_id", "pk"))
    assert len(invoices) == 5
    # The families of the first batch were not drafted again.
    assert all(invoices[family] == pk for family, pk in first.items())


def test_an_issue_task_stopped_half_way_issues_the_rest_without_gap(
    monkeypatch, django_capture_on_commit_callbacks
):
    setup = make_billing_setup()
    _families(setup, 5)
    run = services.run_draft(run=_run(setup))
    monkeypatch.setattr(runs, "ISSUE_BATCH_SIZE", 2)
    real_batch = runs._issue_batch
    calls = []

    def failing_batch(run, invoice_ids, today):
        calls.append(invoice_ids)
        if len(calls) == 2:
            raise Stop("serveur arrêté")
        return real_batch(run, invoice_ids, TODAY)

    monkeypatch.setattr(runs, "_issue_batch", failing_batch)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_issue_enqueue(run=run, actor=None)
    run.refresh_from_db()
    assert run.job == "emission" and run.state == "brouillon" and run.job_done == 2
    assert Invoice.objects.filter(state=InvoiceState.ISSUED).count() == 2
    monkeypatch.setattr(runs, "_issue_batch", lambda run, ids, today: real_batch(run, ids, TODAY))
    with django_capture_on_commit_callbacks(execute=True):
        services.run_job_resume(run=run, actor=None)
    run.refresh_from_db()
    assert run.state == "emise" and run.job == "" and run.job_done == 5
    numbers = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    # The invoices of the first batch kept their numbers; the rest followed them.
    first = Invoice.objects.filter(pk__in=calls[0]).values_list("sequence", flat=True)
    assert sorted(first) == [1, 2]


def test_a_batch_stopped_inside_its_transaction_gives_its_numbers_back(monkeypatch):
    setup = make_billing_setup()
    _families(setup, 3)
    run = services.run_draft(run=_run(setup))
    monkeypatch.setattr(runs, "ISSUE_BATCH_SIZE", 2)

    def stop_after_update(*args, **kwargs):
        raise Stop("coupure pendant le lot")

    # The batch has its numbers and its balances, then fails before its coverage rows.
    monkeypatch.setattr(runs.InvoiceService.objects, "bulk_create", stop_after_update)
    with pytest.raises(Stop):
        services.run_issue(run=run, actor=None, today=TODAY)
    assert not Invoice.objects.filter(state=InvoiceState.ISSUED).exists()
    assert not InvoiceSequence.objects.filter(last_number__gt=0).exists()
    monkeypatch.undo()
    # The run stays in its job: the task, enqueued again, issues the three drafts.
    run.refresh_from_db()
    assert run.job == "emission" and run.job_done == 0
    services.run_issue_continue(run=run, actor=None, today=TODAY)
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2, 3]


def _bulk_families(setup, count):
    """``count`` resident families with a QF, one child each, booked on every school
    day of the month (bulk inserts: the test stays fast)."""
    families = Family.objects.bulk_create(
        Family(
            reference=f"BULK-{n:05d}",
            address="1 rue de la Mairie",
            postcode="38000",
            city=setup["commune"].name,
            quotient_familial=Decimal(200 + (n * 37) % 1500),
            qf_valid_from=datetime.date(2026, 1, 1),
            qf_valid_to=datetime.date(2027, 12, 31),
        )
        for n in range(count)
    )
    Guardian.objects.bulk_create(
        Guardian(family=f, role="responsable", first_name="Anne", last_name=f"Roux{f.pk}")
        for f in families
    )
    children = Child.objects.bulk_create(
        Child(family=f, first_name="Léa", last_name=f"Roux{f.pk}", birth_date="2018-05-01")
        for f in families
    )
    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            child=c,
            service=setup["service"],
            site=setup["site"],
            school_year=setup["year"],
            state="acceptee",
            decided_at=now,
        )
        for c in children
    )
    days = days_of(count=6)
    Booking.objects.bulk_create(
        Booking(
            child=e.child,
            enrolment=e,
            unit=setup["unit"],
            site=setup["site"],
            day=day,
            state="reservee",
        )
        for e in enrolments
        for i, day in enumerate(days)
        if i < 2 + e.child_id % 5
    )
    return families


def test_a_run_of_2000_families_adds_up_to_the_cent_and_issued_twice_gives_no_second(
    django_capture_on_commit_callbacks,
):
    setup = make_billing_setup()
    _bulk_families(setup, 2000)
    run = _run(setup)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_draft_enqueue(run=run, actor=None)
    run.refresh_from_db()
    assert run.draft_count == 1 and run.job == "" and run.anomalies.count() == 0
    assert Invoice.objects.filter(run=run).count() == 2000
    lines = InvoiceLine.objects.filter(invoice__run=run)
    assert lines.count() == Booking.objects.count()
    line_sum = lines.aggregate(s=Sum("amount"))["s"]
    assert Invoice.objects.filter(run=run).aggregate(s=Sum("total"))["s"] == line_sum
    by_invoice = {
        row["invoice"]: row["s"] for row in lines.values("invoice").annotate(s=Sum("amount"))
    }
    assert all(by_invoice[i.pk] == i.total for i in Invoice.objects.filter(run=run))
    with django_capture_on_commit_callbacks(execute=True):
        services.run_issue_enqueue(run=run, actor=None)
    run.refresh_from_db()
    assert run.state == "emise"
    assert Invoice.objects.filter(state=InvoiceState.ISSUED).count() == 2000
    # Issued twice: the same run, and a new run of the same month and service.
    services.run_issue(run=run, actor=None)
    again = services.run_draft(run=_run(setup))
    assert again.invoices.count() == 0
    services.run_issue(run=again, actor=None)
    assert Invoice.objects.count() == 2000 and InvoiceService.objects.count() == 2000
    sequences = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 2001))
