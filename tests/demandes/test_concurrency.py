"""Two members of staff deciding the same request at once: exactly one decision wins.

Real threads, each with its own PostgreSQL connection (SQLite has no row locks). The
control test removes the lock and shows that the same harness then lets both decisions
through: the harness would catch a regression (pretix's concurrency tests do the same).
"""

import pytest

from espace_prive import decisions
from espace_prive.demandes import services
from espace_prive.demandes.models import ChangeRequest, RequestState
from tests.factories import make_family_with_login, make_phone_request, make_staff
from tests.races import RACE_MARKS, race

pytestmark = RACE_MARKS


def _race(monkeypatch, change_request):
    """Accept and refuse at the same moment; both wait for each other after reading."""
    first, second = make_staff(superuser=True), make_staff(superuser=True)

    def accept():
        return ("won", services.request_accept(actor=first, change_request=change_request).state)

    def refuse():
        decided = services.request_refuse(
            actor=second, change_request=change_request, reason="Doublon."
        )
        return ("won", decided.state)

    return race(
        monkeypatch,
        (decisions, "checkpoint"),
        [accept, refuse],
        refused={services.RequestAlreadyDecided: ("lost", None)},
    )


@pytest.fixture
def pending_request():
    family, user = make_family_with_login()
    return make_phone_request(family=family, actor=user)


def test_two_staff_deciding_at_once_exactly_one_wins(monkeypatch, pending_request):
    outcomes = _race(monkeypatch, pending_request)
    assert sorted(kind for kind, _state in outcomes) == ["lost", "won"], outcomes
    winner_state = next(state for kind, state in outcomes if kind == "won")
    final = ChangeRequest.objects.get(pk=pending_request.pk)
    assert final.state == winner_state
    applied = final.guardian.mobile_phone == "06 11 22 33 44"
    assert applied == (final.state == RequestState.ACCEPTED)


def test_control_without_the_lock_the_harness_sees_two_winners(monkeypatch, pending_request):
    monkeypatch.setattr(decisions, "lock_row", lambda model, pk, **_: model.objects.get(pk=pk))
    outcomes = _race(monkeypatch, pending_request)
    assert [kind for kind, _state in outcomes] == ["won", "won"], outcomes
