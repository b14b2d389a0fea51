"""Two agents reviewing the same document at once: exactly one decision wins.

Real threads, each with its own PostgreSQL connection; the control removes the row lock
and shows the same harness then lets both decisions through.
"""

import pytest

from espace_prive import decisions
from espace_prive.documents import services
from espace_prive.documents.models import Document
from tests.factories import make_document, make_family_with_login, make_staff
from tests.races import RACE_MARKS, race, without_row_lock

pytestmark = RACE_MARKS


def _race(monkeypatch, document):
    first, second = make_staff(superuser=True), make_staff(superuser=True)

    def accept():
        services.document_accept(actor=first, document=document)
        return "won"

    def refuse():
        services.document_refuse(actor=second, document=document, reason="Illisible")
        return "won"

    outcomes = race(
        monkeypatch,
        (decisions, "checkpoint"),
        [accept, refuse],
        refused={services.DocumentAlreadyReviewed: "lost"},
    )
    return sorted(outcomes, key=str)


@pytest.fixture
def document():
    family, user = make_family_with_login()
    return make_document(family=family, actor=user)


def test_one_review_wins(monkeypatch, document):
    assert _race(monkeypatch, document) == ["lost", "won"]
    document.refresh_from_db()
    assert document.state in ("accepte", "refuse") and document.reviewed_at is not None


def test_control_without_the_lock_both_reviews_go_through(monkeypatch, document):
    without_row_lock(monkeypatch, Document)
    assert _race(monkeypatch, document) == ["won", "won"]
