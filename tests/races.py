"""Two things done at the same moment, for the concurrency tests on PostgreSQL.

Real threads, each with its own database connection (SQLite has no row locks). Each
action waits for the other at the start, then again at the service's checkpoint (right
after it has read the row): with the row lock, the second one is blocked before reading,
that wait times out and the first goes on; without it, both meet there, both having read
the same state. The control tests remove the lock (``without_row_lock``) to show that
the harness does race them (pretix's concurrency tests do the same).
"""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connections

#: The marks of a module of such tests: PostgreSQL only, and transactional (each thread
#: has its own connection, so nothing may stay in the test's transaction); every
#: transactional test restores the migrations' rows (see tests/conftest.py).
RACE_MARKS = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.DATABASE_IS_POSTGRES, reason="needs PostgreSQL: real row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(monkeypatch, checkpoint, actions, *, refused=(), join_timeout=30):
    """Run the callables ``actions`` at once, one thread each; their outcomes, in the
    order they ended.

    ``checkpoint`` is ``(module, name)``: the function the service calls after reading,
    replaced by the meeting point. ``refused`` maps an exception class to the outcome
    recorded when an action raises it; any other exception is ``("error", repr)``.
    """
    start = threading.Barrier(len(actions), timeout=10)
    after_read = threading.Barrier(len(actions), timeout=2)

    def meet(*_args):
        with contextlib.suppress(threading.BrokenBarrierError):
            after_read.wait()

    monkeypatch.setattr(*checkpoint, meet)
    refused = dict(refused)
    outcomes = []

    def run(action):
        try:
            start.wait()
            outcomes.append(action())
        except tuple(refused) as error:
            outcomes.append(next(v for k, v in refused.items() if isinstance(error, k)))
        except Exception as error:  # pragma: no cover - shown in the assertion
            outcomes.append(("error", repr(error)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_timeout)
    return outcomes


class _NoLock:
    """A manager whose ``select_for_update()`` locks nothing."""

    def __init__(self, manager):
        self.manager = manager

    def select_for_update(self):
        return self.manager.all()

    def __getattr__(self, name):
        return getattr(self.manager, name)


def without_row_lock(monkeypatch, model):
    """The control: ``model.objects.select_for_update()`` no longer locks the row."""
    monkeypatch.setattr(model, "objects", _NoLock(model.objects))
