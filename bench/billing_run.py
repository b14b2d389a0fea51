#!/usr/bin/env python
"""A month's billing run for BENCH_FAMILIES families (10,000 by default): draft, then
issue, without PDFs (issue 13, Acceptance), timed per family.

``make bench-billing`` runs it. It builds a database of its own (Django's test database
machinery: ``test_<name>`` on the PostgreSQL server of DATABASE_URL, or SQLite in
memory without it), migrated, then bulk-inserts one commune, a canteen billed by a
régie, and the families: each with a QF spread over the grid, a guardian, a child
enrolled and booked on two to six school days of December 2026. It times
``run_create`` + ``run_draft`` (one draft invoice per family, its lines, anomalies) and
``run_issue`` (numbers, snapshots, one transaction per batch; the PDFs task it enqueues
left out), counts the queries,
checks the sums and the unbroken sequence, prints a table and writes it to
bench/README.md between ``<!-- bench:billing -->`` markers. The database is dropped at
the end.

Environment: BENCH_FAMILIES (10000), DATABASE_URL.
"""

import datetime
import os
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
FAMILIES = int(os.environ.get("BENCH_FAMILIES", "10000"))
TABLE_START = "<!-- bench:billing -->"
TABLE_END = "<!-- /bench:billing -->"
DECEMBER = datetime.date(2026, 12, 1)
ISSUED_ON = datetime.date(2027, 1, 4)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def school_days(count):
    day, days = DECEMBER, []
    while len(days) < count:
        if day.weekday() in (0, 1, 3, 4):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def populate(count):
    """The commune, a billed canteen and ``count`` families, in bulk."""
    from django.utils import timezone

    from espace_prive.billing.models import BilledService, Regie
    from espace_prive.bookings.models import Booking, Enrolment
    from espace_prive.families.models import Child, Family, Guardian
    from tests.bookings.factories import make_calendar

    calendar = make_calendar()
    regie = Regie.objects.create(name="Régie du bench", commune=calendar["commune"])
    BilledService.objects.create(regie=regie, service=calendar["service"])
    families = Family.objects.bulk_create(
        (
            Family(
                reference=f"BENCH-{n:06d}",
                address=f"{n % 200 + 1} rue de la Mairie",
                postcode="38000",
                city=calendar["commune"].name,
                quotient_familial=Decimal(200 + (n * 37) % 1500),
                qf_valid_from=datetime.date(2026, 1, 1),
                qf_valid_to=datetime.date(2027, 12, 31),
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    Guardian.objects.bulk_create(
        (
            Guardian(family=f, role="responsable", first_name="Anne", last_name=f"Roux{f.pk}")
            for f in families
        ),
        batch_size=2000,
    )
    children = Child.objects.bulk_create(
        (
            Child(family=f, first_name="Léa", last_name=f"Roux{f.pk}", birth_date="2018-05-01")
            for f in families
        ),
        batch_size=2000,
    )
    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        (
            Enrolment(
                child=c,
                service=calendar["service"],
                site=calendar["site"],
                school_year=calendar["year"],
                state="acceptee",
                decided_at=now,
            )
            for c in children
        ),
        batch_size=2000,
    )
    days = school_days(6)
    Booking.objects.bulk_create(
        (
            Booking(
                child=e.child,
                enrolment=e,
                unit=calendar["unit"],
                site=calendar["site"],
                day=day,
                state="reservee",
            )
            for e in enrolments
            for i, day in enumerate(days)
            if i < 2 + e.child_id % 5
        ),
        batch_size=5000,
    )
    return calendar, regie


def timed(function):
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    return seconds, counter.count, result


def measure():
    from django.db.models import Sum

    from espace_prive.billing import services
    from espace_prive.billing.models import Invoice, InvoiceLine
    from espace_prive.billing.services import runs
    from espace_prive.bookings.models import Booking

    # Without PDFs: the issued run's documents are a background task of their own,
    # which the immediate backend would otherwise run inside the timed issue.
    runs.run_documents_enqueue = lambda run: None

    started = time.perf_counter()
    calendar, regie = populate(FAMILIES)
    setup_seconds = time.perf_counter() - started
    bookings = Booking.objects.count()

    def draft():
        run = services.run_create(
            regie=regie, month=DECEMBER, services=[calendar["service"]], actor=None
        )
        return services.run_draft(run=run)

    draft_seconds, draft_queries, run = timed(draft)
    invoices = Invoice.objects.filter(run=run)
    assert invoices.count() == FAMILIES, "one draft per family"
    line_sum = InvoiceLine.objects.filter(invoice__run=run).aggregate(s=Sum("amount"))["s"]
    assert invoices.aggregate(s=Sum("total"))["s"] == line_sum, "totals add up to the cent"
    issue_seconds, issue_queries, _run = timed(
        lambda: services.run_issue(run=run, actor=None, today=ISSUED_ON)
    )
    sequences = sorted(invoices.values_list("sequence", flat=True))
    assert sequences == list(range(1, FAMILIES + 1)), "an unbroken sequence"
    return {
        "setup": setup_seconds,
        "bookings": bookings,
        "total": line_sum,
        "rows": [
            ("draft (run_create + run_draft)", draft_seconds, draft_queries),
            ("issue without PDFs (run_issue)", issue_seconds, issue_queries),
            ("draft then issue", draft_seconds + issue_seconds, draft_queries + issue_queries),
        ],
    }


def grouped(number):
    """``10 000``: thousands apart with a space, as French readers write them."""
    return f"{number:,}".replace(",", " ")


def report(figures, database):
    lines = [
        f"Run on {datetime.date.today():%Y-%m-%d}: {grouped(FAMILIES)} families (one child "
        f"each, {grouped(figures['bookings'])} booked lunches in December 2026, QF spread "
        "over the grid), "
        f"one régie, {database}, in one process (the background task does the same work "
        "in batches); data set up in bulk in "
        f"{figures['setup']:.0f} s, not counted. Total billed: {figures['total']} €.",
        "",
        "| step | time (s) | per family (ms) | queries | queries per family |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, seconds, queries in figures["rows"]:
        lines.append(
            f"| {label} | {seconds:.1f} | {seconds * 1000 / FAMILIES:.2f} | {grouped(queries)} | "
            f"{queries / FAMILIES:.1f} |"
        )
    return "\n".join(lines)


def write(text):
    content = README.read_text()
    block = f"{TABLE_START}\n{text}\n{TABLE_END}"
    if TABLE_START in content:
        content = re.sub(
            rf"{re.escape(TABLE_START)}.*?{re.escape(TABLE_END)}", block, content, flags=re.S
        )
    else:
        content += f"\n## A month's billing run (billing)\n\n{block}\n"
    README.write_text(content)


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    # A database of its own, never the test suite's.
    test_settings = connection.settings_dict.setdefault("TEST", {})
    test_settings["NAME"] = f"bench_billing_{connection.settings_dict['NAME']}"[:63]
    if connection.vendor == "sqlite":
        test_settings["NAME"] = None  # in memory
    print(f"Base de données de mesure : migrations, puis {FAMILIES} familles…", flush=True)
    config = setup_databases(verbosity=0, interactive=False)
    try:
        database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        text = report(measure(), database)
    finally:
        teardown_databases(config, verbosity=0)
    print(text)
    write(text)


if __name__ == "__main__":
    main()
