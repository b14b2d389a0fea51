"""Concurrent wrong passwords for one (account, IP) pair: at most 5 are ever checked.

Runs on PostgreSQL with real threads (one connection each); the control removes the
row lock and shows that the same harness then lets more attempts through.
"""

import threading
import time

from django.conf import settings
from django.db import connection
from django.test import RequestFactory

from espace_prive.accounts import services, throttle
from espace_prive.accounts.models import LoginThrottle
from espace_prive.accounts.services import signin
from tests.factories import make_user
from tests.races import RACE_MARKS

pytestmark = RACE_MARKS

THREADS = 12


def _naive_row(scope, identifier, ip):
    """What the code would do without SELECT … FOR UPDATE."""
    row, _ = LoginThrottle.objects.get_or_create(scope=scope, identifier=identifier, ip_address=ip)
    return row


def _run_concurrently(monkeypatch, row_function):
    user = make_user(email="cible@example.test")
    checked = []

    def slow_row(scope, identifier, ip):
        row = row_function(scope, identifier, ip)
        time.sleep(0.05)  # widen the read-modify-write window
        return row

    def counting_authenticate(request, **credentials):
        checked.append(credentials["username"])
        time.sleep(0.05)
        return None

    monkeypatch.setattr(throttle, "_row_for_update", slow_row)
    monkeypatch.setattr(signin, "authenticate", counting_authenticate)
    barrier = threading.Barrier(THREADS)
    outcomes = []

    def attempt():
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.50")
        try:
            barrier.wait()
            services.credentials_check(request=request, email=user.email, password="faux")
        except throttle.Locked:
            outcomes.append("locked")
        except services.InvalidCredentials:
            outcomes.append("invalid")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return checked, outcomes


def test_concurrent_attempts_never_check_more_than_the_limit(monkeypatch):
    real_row = throttle._row_for_update
    checked, outcomes = _run_concurrently(monkeypatch, real_row)
    assert len(outcomes) == THREADS
    assert len(checked) == settings.LOGIN_FAILURE_LIMIT
    assert outcomes.count("locked") == THREADS - settings.LOGIN_FAILURE_LIMIT + 1
    row = LoginThrottle.objects.get()
    assert row.locked_until is not None


def test_control_without_the_row_lock_the_harness_sees_the_race(monkeypatch):
    checked, _outcomes = _run_concurrently(monkeypatch, _naive_row)
    assert len(checked) > settings.LOGIN_FAILURE_LIMIT
