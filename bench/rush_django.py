#!/usr/bin/env python
"""The parts of ``make bench-rush`` that run inside Django (``bench/rush.py`` calls them).

    python bench/rush_django.py reset              forget a previous rush (enrolments, bookings)
    python bench/rush_django.py prepare N FILE    N families: API tokens, children (JSON lines)
    python bench/rush_django.py queue              tasks still waiting for the worker (JSON)
    python bench/rush_django.py staff STOPFILE     the staff step: accept enrolments as they come
    python bench/rush_django.py check FILE         the database after the rush (JSON)

Tokens are written straight into the database, as ``POST /api/v1/auth/token/`` would
leave them: 2,000 sign-ins would measure password hashing, not the rentrée.
"""

import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from cms.scale import REFERENCE_PREFIX  # noqa: E402
from espace_prive.accounts.demo import STAFF_EMAIL  # noqa: E402
from espace_prive.accounts.models import ApiToken  # noqa: E402
from espace_prive.accounts.security import new_token, token_hash  # noqa: E402
from espace_prive.accounts.services.base import API_TOKEN_PREFIX  # noqa: E402
from espace_prive.bookings.models import (  # noqa: E402
    ActivityUnit,
    Booking,
    BookingState,
    Enrolment,
    EnrolmentState,
    SchoolYear,
    UnitCapacity,
    UnitDay,
)
from espace_prive.bookings.services import enrolment_accept  # noqa: E402
from espace_prive.catalogue.models import Service  # noqa: E402
from espace_prive.catalogue.selectors import school_year_bounds  # noqa: E402
from espace_prive.families.models import Guardian  # noqa: E402

CANTEEN = "restauration-scolaire"


def school_year():
    first, _last = school_year_bounds(timezone.localdate())
    return SchoolYear.objects.get(commune__name="Belval", starts_on=first)


def reset():
    """The town as seeded before the rentrée: the year's bookings and enrolments of
    its families (and the tokens of a previous rush) go."""
    town = {"child__family__reference__startswith": REFERENCE_PREFIX}
    year = school_year()
    bookings = Booking.objects.filter(**town, enrolment__school_year=year).delete()[0]
    enrolments = Enrolment.objects.filter(**town, school_year=year).delete()[0]
    ApiToken.objects.filter(user__guardian__family__reference__startswith=REFERENCE_PREFIX).delete()
    print(json.dumps({"bookings": bookings, "enrolments": enrolments}))


def queue():
    from django_tasks_db.models import DBTaskResult

    print(json.dumps({"waiting": DBTaskResult.objects.ready().count()}))


def prepare(count, path):
    service = Service.objects.get(slug=CANTEEN)
    unit = ActivityUnit.objects.get(service=service, name="Repas")
    year = school_year()
    guardians = (
        Guardian.objects.filter(
            family__reference__startswith=REFERENCE_PREFIX,
            role=Guardian.Role.PRIMARY,
            user__isnull=False,
            family__children__school__isnull=False,
        )
        .distinct()
        .select_related("user", "family")
        .order_by("family__reference")[:count]
    )
    now = timezone.now()
    with open(path, "w") as out:
        for guardian in guardians:
            secret = new_token(API_TOKEN_PREFIX)
            ApiToken.objects.create(
                user=guardian.user,
                key_hash=token_hash(secret),
                prefix=secret[:10],
                expires_at=now + datetime.timedelta(hours=3),
            )
            children = [
                {"child": str(c.public_id), "site": str(c.school.public_id)}
                for c in guardian.family.children.filter(school__isnull=False).select_related(
                    "school"
                )
            ]
            line = {
                "token": secret,
                "family": guardian.family.reference,
                "children": children,
                "service": str(service.public_id),
                "unit": str(unit.public_id),
                "school_year": str(year.public_id),
            }
            out.write(json.dumps(line) + "\n")
    print(json.dumps({"families": len(guardians)}))


def staff(stop_file):
    """Accept every pending enrolment of the year, a batch every two seconds, until told
    to stop: the service's agents at work during the rush."""
    actor = get_user_model().objects.get(email=STAFF_EMAIL)
    accepted = 0
    while not Path(stop_file).exists():
        pending = list(
            Enrolment.objects.filter(
                state=EnrolmentState.PENDING,
                school_year=school_year(),
                child__family__reference__startswith=REFERENCE_PREFIX,
            )
            .select_related("child")
            .order_by("requested_at")[:200]
        )
        for enrolment in pending:
            enrolment_accept(actor=actor, enrolment=enrolment)
            accepted += 1
        if not pending:
            time.sleep(2)
    print(json.dumps({"accepted": accepted}))


def check(path):
    """No unit over capacity on any day; every submission's bookings present with the
    state its answer gave; every refused day explained."""
    submissions = [json.loads(line) for line in Path(path).read_text().splitlines()]
    year = school_year()
    places = {(c.unit_id, c.site_id): c.places for c in UnitCapacity.objects.all()}
    overrides = {
        (d.unit_id, d.site_id, d.day): d.places
        for d in UnitDay.objects.filter(places__isnull=False)
    }
    over = []
    booked = (
        Booking.objects.filter(day__gte=year.starts_on, day__lte=year.ends_on)
        .values("unit_id", "site_id", "day")
        .annotate(n=Count("id", filter=Q(state=BookingState.BOOKED)))
    )
    for row in booked:
        key = (row["unit_id"], row["site_id"])
        limit = overrides.get((*key, row["day"]), places.get(key))
        if limit is not None and row["n"] > limit:
            over.append({**row, "places": limit})
    expected = {}
    unexplained = 0
    for submission in submissions:
        for line in submission["lines"]:
            if line["outcome"] in ("reserver", "attente") and line["booking"]:
                expected[line["booking"]] = (
                    BookingState.BOOKED if line["outcome"] == "reserver" else BookingState.WAITING
                )
            elif line["outcome"] == "impossible" and not line["reason"]:
                unexplained += 1
    found = dict(
        Booking.objects.filter(public_id__in=list(expected)).values_list("public_id", "state")
    )
    found = {str(key): value for key, value in found.items()}
    lost = [key for key in expected if key not in found]
    changed = [key for key, state in expected.items() if key in found and found[key] != state]
    print(
        json.dumps(
            {
                "submissions": len(submissions),
                "bookings_expected": len(expected),
                "booked": sum(1 for s in expected.values() if s == BookingState.BOOKED),
                "waiting": sum(1 for s in expected.values() if s == BookingState.WAITING),
                "refused_days": sum(
                    1 for s in submissions for line in s["lines"] if line["outcome"] == "impossible"
                ),
                "over_capacity": over[:10],
                "over_capacity_count": len(over),
                "lost": len(lost),
                "state_changed": len(changed),
                "unexplained_refusals": unexplained,
            },
            default=str,
        )
    )


if __name__ == "__main__":
    timezone.activate("Europe/Paris")
    command = sys.argv[1]
    if command == "reset":
        reset()
    elif command == "queue":
        queue()
    elif command == "prepare":
        prepare(int(sys.argv[2]), sys.argv[3])
    elif command == "staff":
        staff(sys.argv[2])
    elif command == "check":
        check(sys.argv[2])
    else:
        raise SystemExit(__doc__)
