#!/usr/bin/env python
"""The parts of ``make bench-private`` that run inside Django (``bench/private.py``
calls them in a subprocess, with the bench settings and the town's database).

    python bench/private_django.py queries            SQL queries per page (JSON)
    python bench/private_django.py draft              time a billing draft (JSON)
    python bench/private_django.py sessions N DIR     N family sessions + wrk targets

Sessions are written straight into the session store, as a sign-in would leave them
(user, backend, password hash, the facts the middlewares keep in the session, a
verified second factor for staff): signing 500 families in through the login form would
measure password hashing, not the pages.
"""

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

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from cms.scale import REFERENCE_PREFIX  # noqa: E402
from cms.scale.pages import family_pages, staff_pages  # noqa: E402
from espace_prive.accounts.demo import STAFF_EMAIL  # noqa: E402
from espace_prive.accounts.middleware import LAST_ACTIVITY_KEY  # noqa: E402
from espace_prive.accounts.session_state import (  # noqa: E402
    APPLICANT_KEY,
    BACK_OFFICE_KEY,
    HAS_SECOND_FACTOR_KEY,
)
from espace_prive.families.models import Family, Guardian  # noqa: E402

HOST = "127.0.0.1"


def session_for(user, *, staff=False):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[HAS_SECOND_FACTOR_KEY] = staff
    store[APPLICANT_KEY] = False
    store[BACK_OFFICE_KEY] = staff
    store[LAST_ACTIVITY_KEY] = int(time.time())
    if staff:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


def staff_user():
    return get_user_model().objects.get(email=STAFF_EMAIL)


def draft_run():
    from espace_prive.billing.models import BillingRun, BillingRunState

    return (
        BillingRun.objects.filter(state=BillingRunState.DRAFT, created_by__email=STAFF_EMAIL)
        .order_by("-created_at")
        .first()
    )


def first_family():
    return Family.objects.get(reference=f"{REFERENCE_PREFIX}000001")


def queries():
    """Queries of each page for the town's family 1 and for staff (second request)."""
    family = first_family()
    user = family.guardians.get(role=Guardian.Role.PRIMARY).user
    counts = {}
    for people, pages in (
        ((user, False), family_pages(family)),
        ((staff_user(), True), staff_pages(run=draft_run())),
    ):
        client = Client(HTTP_HOST=HOST)
        client.cookies[settings.SESSION_COOKIE_NAME] = session_for(people[0], staff=people[1])
        for label, url in pages:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                status = client.get(url).status_code
            counts[label] = len(captured) if status == 200 else f"HTTP {status}"
    counts["families"] = Family.objects.filter(reference__startswith=REFERENCE_PREFIX).count()
    print(json.dumps(counts))


def draft():
    """A billing draft of one month for the whole town, through the billing services."""
    import datetime

    from cms.scale.billing import SERVICES
    from espace_prive.billing.models import BillingRun, Invoice, Regie
    from espace_prive.billing.services import runs
    from espace_prive.catalogue.models import Service

    staff = staff_user()
    regie = Regie.objects.order_by("pk").first()
    issued = BillingRun.objects.filter(regie=regie).order_by("-month").first()
    if regie is None or issued is None:
        print(json.dumps({"skipped": "no régie or no issued month in this town"}))
        return
    run = draft_run()
    if run is None:
        month = (issued.month + datetime.timedelta(days=32)).replace(day=1)
        services = list(Service.objects.filter(slug__in=SERVICES))
        run = runs.run_create(regie=regie, month=month, services=services, actor=staff)
    started = time.perf_counter()
    runs.run_draft(run=run, actor=staff)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "month": f"{run.month:%m/%Y}",
                "invoices": Invoice.objects.filter(run=run).count(),
                "seconds": round(seconds, 1),
                "run": str(run.public_id),
            }
        )
    )


def sessions(count, folder):
    """``count`` family sessions (families with a login, spread over the town) and one
    staff session; one file of ``cookie<TAB>path`` lines per page for wrk."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    guardians = list(
        Guardian.objects.filter(
            family__reference__startswith=REFERENCE_PREFIX,
            role=Guardian.Role.PRIMARY,
            user__isnull=False,
            family__children__isnull=False,
        )
        .distinct()
        .select_related("user", "family")
        .order_by("family__reference")
    )
    step = max(1, len(guardians) // count)
    chosen = guardians[::step][:count]
    targets = {}
    cookie = settings.SESSION_COOKIE_NAME
    for guardian in chosen:
        key = session_for(guardian.user)
        targets.setdefault("bare", []).append((key, "/bench/bare/"))
        for label, url in family_pages(guardian.family):
            targets.setdefault(label, []).append((key, url))
    staff_key = session_for(staff_user(), staff=True)
    for label, url in staff_pages(run=draft_run(), search="Martin"):
        targets[label] = [(staff_key, url)]
    index = {}
    for number, (label, lines) in enumerate(targets.items()):
        path = folder / f"target-{number:02d}.txt"
        path.write_text("".join(f"{cookie}={key}\t{url}\n" for key, url in lines))
        index[label] = {"file": str(path), "path": lines[0][1], "sessions": len(lines)}
    print(json.dumps(index))


if __name__ == "__main__":
    command = sys.argv[1]
    timezone.activate("Europe/Paris")
    if command == "queries":
        queries()
    elif command == "draft":
        draft()
    elif command == "sessions":
        sessions(int(sys.argv[2]), sys.argv[3])
    else:
        raise SystemExit(__doc__)
