#!/usr/bin/env python
"""The weekly pattern of a whole school year, booked in one request (issue 11).

Run by ``make bench`` after the page load (``run.py``), on the same seeded database:
a demo child enrolled in the canteen books every lunch of the school year (Monday,
Tuesday, Thursday, Friday) through ``booking_pattern_preview`` then
``booking_pattern_confirm`` — what the « Réserver une semaine type » page does — each
round inside a transaction rolled back, so the demo data stays as seeded. The
baseline, in the same run, is booking one day through ``booking_book``. Printed and
written to bench/README.md: medians of BENCH_ROUNDS rounds, queries, the ratio to the
baseline, and the target « under a second on this machine ».
"""

import datetime
import os
import re
import statistics
import sys
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TABLE_START = "<!-- bench:bookings -->"
TABLE_END = "<!-- /bench:bookings -->"
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SCHOOL_DAYS = [0, 1, 3, 4]  # Monday, Tuesday, Thursday, Friday


class RolledBack(Exception):
    """Raised at the end of a round so that nothing it booked is kept."""


def measure(function):
    """``(seconds, queries)`` of ``function`` inside a transaction rolled back."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    outcome = {}
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            outcome["result"] = function()
            outcome["seconds"] = time.perf_counter() - started
            raise RolledBack
    except RolledBack:
        pass
    return outcome["seconds"], len(queries), outcome["result"]


def scenario():
    """The demo child, the canteen unit and the school year the demo configured."""
    from espace_prive.bookings.models import ActivityUnit, Enrolment, EnrolmentState

    enrolment = (
        Enrolment.objects.filter(
            state=EnrolmentState.ACCEPTED, service__slug="restauration-scolaire"
        )
        .filter(child__family__guardians__user__isnull=False)
        .select_related("child", "school_year")
        .order_by("child__first_name")
        .first()
    )
    if enrolment is None:
        raise SystemExit("seed_demo made no accepted canteen enrolment")
    unit = ActivityUnit.objects.filter(service=enrolment.service).order_by("pk").first()
    year = enrolment.school_year
    # Booked before the year starts: no deadline has passed yet.
    now = datetime.datetime.combine(
        year.starts_on - datetime.timedelta(days=20), datetime.time(9), tzinfo=PARIS
    )
    return enrolment, unit, year, now


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from espace_prive.bookings.services import (
        booking_book,
        booking_pattern_confirm,
        booking_pattern_preview,
    )
    from espace_prive.families.models import Guardian

    enrolment, unit, year, now = scenario()
    child = enrolment.child
    # A guardian of the child's family, signed in: the family books for itself.
    actor = Guardian.objects.filter(family=child.family_id, user__isnull=False).first().user
    pattern = {
        "actor": actor,
        "child": child,
        "units": [unit],
        "weekdays": SCHOOL_DAYS,
        "start": year.starts_on,
        "end": year.ends_on,
        "now": now,
    }
    one_day = year.starts_on + datetime.timedelta(days=(1 - year.starts_on.weekday()) % 7)

    def whole_year():
        preview = booking_pattern_preview(**pattern)
        result = booking_pattern_confirm(**pattern)
        return len(preview.lines), len(result.booked) + len(result.waiting)

    def single_day():
        return booking_book(actor=actor, child=child, unit=unit, day=one_day, now=now)

    rounds = {"one day (baseline)": [], "school-year pattern": []}
    for _round in range(ROUNDS):
        rounds["one day (baseline)"].append(measure(single_day))
        rounds["school-year pattern"].append(measure(whole_year))
    baseline = statistics.median(seconds for seconds, _q, _r in rounds["one day (baseline)"])
    lines = [
        f"Run on {datetime.date.today():%Y-%m-%d}: {child.first_name}, {unit}, every school "
        f"day (Mon, Tue, Thu, Fri) of {year.label}; preview then confirm, as the page "
        f"does; medians of {ROUNDS} rounds, each rolled back.",
        "",
        "| operation | days | queries | time (ms) | ratio to one day |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    verdict = ""
    for label, measured in rounds.items():
        seconds = statistics.median(s for s, _q, _r in measured)
        queries = max(q for _s, q, _r in measured)
        result = measured[0][2]
        days = result[1] if isinstance(result, tuple) else 1
        lines.append(
            f"| {label} | {days} | {queries} | {seconds * 1000:.0f} | {seconds / baseline:.1f}× |"
        )
        if label == "school-year pattern":
            verdict = f"{'met' if seconds < 1 else 'NOT met'} ({seconds:.2f} s)"
    lines += ["", f"Target « a school year's pattern under a second »: {verdict}."]
    text = "\n".join(lines)
    print(text)
    content = README.read_text()
    block = f"{TABLE_START}\n{text}\n{TABLE_END}"
    if TABLE_START in content:
        content = re.sub(
            rf"{re.escape(TABLE_START)}.*?{re.escape(TABLE_END)}", block, content, flags=re.S
        )
    else:
        content += f"\n## A school year's weekly pattern (bookings)\n\n{block}\n"
    README.write_text(content)


if __name__ == "__main__":
    main()
