"""Two workers delivering the same broadcast at once: each family gets one thread.

Real threads, each with its own PostgreSQL connection. The broadcast row is locked for
each batch, so the second worker waits, then finds the families already reached. The
control removes the lock: both workers then read the same families, and only the unique
(broadcast, family) constraint stops the duplicate — the harness does race them.
"""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import IntegrityError, connections

from espace_prive.messaging import services
from espace_prive.messaging.models import Broadcast, Message, Thread
from tests.factories import make_family, make_guardian, make_staff

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.DATABASE_IS_POSTGRES, reason="needs PostgreSQL: real row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def broadcast():
    for _ in range(30):
        make_guardian(family=make_family())
    return Broadcast.objects.create(
        subject="Réunion", body="Réunion d'information lundi.", created_by=make_staff()
    )


def _two_workers(monkeypatch, broadcast):
    start = threading.Barrier(2, timeout=10)
    after_read = threading.Barrier(2, timeout=2)

    def checkpoint(_broadcast):
        # With the lock the other worker is blocked before reading: this wait times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            after_read.wait()

    monkeypatch.setattr(services, "_read_checkpoint", checkpoint)
    outcomes = []

    def deliver():
        try:
            start.wait()
            outcomes.append(("ok", services.broadcast_deliver(broadcast.pk, batch_size=100)))
        except IntegrityError:
            outcomes.append(("duplicate refused", None))
        except Exception as error:  # pragma: no cover - shown in the assertion
            outcomes.append(("error", repr(error)))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=deliver) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return sorted(outcomes, key=str)


def test_two_workers_at_once_deliver_once_per_family(monkeypatch, broadcast):
    outcomes = _two_workers(monkeypatch, broadcast)
    assert outcomes == [("ok", 0), ("ok", 30)]
    assert Thread.objects.filter(broadcast=broadcast).count() == 30
    assert Message.objects.filter(thread__broadcast=broadcast).count() == 30


def test_control_without_the_lock_the_workers_race(monkeypatch, broadcast):
    class NoLock:
        def __init__(self, manager):
            self.manager = manager

        def select_for_update(self):
            return self.manager.all()

        def __getattr__(self, name):
            return getattr(self.manager, name)

    monkeypatch.setattr(Broadcast, "objects", NoLock(Broadcast.objects))
    outcomes = _two_workers(monkeypatch, broadcast)
    # Both read the same 30 families; the constraint refuses the second batch.
    assert ("duplicate refused", None) in outcomes
    assert Thread.objects.filter(broadcast=broadcast).count() == 30
