"""Two workers delivering the same broadcast at once: each family gets one thread.

Real threads, each with its own PostgreSQL connection. The broadcast row is locked for
each batch, so the second worker waits, then finds the families already reached. The
control removes the lock: both workers then read the same families, and only the unique
(broadcast, family) constraint stops the duplicate — the harness does race them.
"""

import pytest
from django.db import IntegrityError

from espace_prive.messaging import services
from espace_prive.messaging.models import Broadcast, Message, Thread
from tests.factories import make_family, make_guardian, make_staff
from tests.races import RACE_MARKS, race, without_row_lock

pytestmark = RACE_MARKS


@pytest.fixture
def broadcast():
    for _ in range(30):
        make_guardian(family=make_family())
    return Broadcast.objects.create(
        subject="Réunion", body="Réunion d'information lundi.", created_by=make_staff()
    )


def _two_workers(monkeypatch, broadcast):
    def deliver():
        return ("ok", services.broadcast_deliver(broadcast.pk, batch_size=100))

    outcomes = race(
        monkeypatch,
        (services, "_read_checkpoint"),
        [deliver, deliver],
        refused={IntegrityError: ("duplicate refused", None)},
        join_timeout=60,
    )
    return sorted(outcomes, key=str)


def test_two_workers_at_once_deliver_once_per_family(monkeypatch, broadcast):
    outcomes = _two_workers(monkeypatch, broadcast)
    assert outcomes == [("ok", 0), ("ok", 30)]
    assert Thread.objects.filter(broadcast=broadcast).count() == 30
    assert Message.objects.filter(thread__broadcast=broadcast).count() == 30


def test_control_without_the_lock_the_workers_race(monkeypatch, broadcast):
    without_row_lock(monkeypatch, Broadcast)
    outcomes = _two_workers(monkeypatch, broadcast)
    # Both read the same 30 families; the constraint refuses the second batch.
    assert ("duplicate refused", None) in outcomes
    assert Thread.objects.filter(broadcast=broadcast).count() == 30
