"""Two agents reviewing the same document at once: exactly one decision wins.

Real threads, each with its own PostgreSQL connection; the control removes the row lock
and shows the same harness then lets both decisions through.
"""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connections

from espace_prive import decisions
from espace_prive.documents import services
from espace_prive.documents.models import Document
from tests.factories import make_document, make_family_with_login, make_staff

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not settings.DATABASE_IS_POSTGRES, reason="needs PostgreSQL: real row locks"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(monkeypatch, document):
    start = threading.Barrier(2, timeout=10)
    after_read = threading.Barrier(2, timeout=2)

    def checkpoint(_document):
        with contextlib.suppress(threading.BrokenBarrierError):
            after_read.wait()

    monkeypatch.setattr(decisions, "checkpoint", checkpoint)
    first, second = make_staff(superuser=True), make_staff(superuser=True)
    outcomes = []

    def review(action):
        try:
            start.wait()
            if action == "accept":
                services.document_accept(actor=first, document=document)
            else:
                services.document_refuse(actor=second, document=document, reason="Illisible")
            outcomes.append("won")
        except services.DocumentAlreadyReviewed:
            outcomes.append("lost")
        except Exception as error:  # pragma: no cover - shown in the assertion
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=review, args=(a,)) for a in ("accept", "refuse")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


@pytest.fixture
def document():
    family, user = make_family_with_login()
    return make_document(family=family, actor=user)


def test_one_review_wins(monkeypatch, document):
    assert _race(monkeypatch, document) == ["lost", "won"]
    document.refresh_from_db()
    assert document.state in ("accepte", "refuse") and document.reviewed_at is not None


def test_control_without_the_lock_both_reviews_go_through(monkeypatch, document):
    class NoLock:
        def __init__(self, manager):
            self.manager = manager

        def select_for_update(self):
            return self.manager.all()

        def __getattr__(self, name):
            return getattr(self.manager, name)

    monkeypatch.setattr(Document, "objects", NoLock(Document.objects))
    assert _race(monkeypatch, document) == ["won", "won"]
