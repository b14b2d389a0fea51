"""One idiom for a decision on a pending row (a request, a pré-inscription, a document, an
enrolment): lock the row, check it is still pending, stamp who decided and when.

Inside the decision's transaction::

    locked = lock_pending(ChangeRequest, change_request.pk, already_decided=RequestAlreadyDecided)
    locked.save(update_fields=locked.decide(RequestState.REFUSED, actor=actor, reason=reason))

``lock_pending`` raises ``already_decided(locked)`` when another decision (or the family's
withdrawal) came first: concurrent deciders queue up on the row lock, and the second one
reads the first one's decision. The model mixes in ``Decidable`` (naming its fields when
they are not ``state``, ``decided_by``, ``decided_at``).

This module is a leaf: models import it, it imports no model.
"""

from django.utils import timezone


class Decidable:
    """A row decided once: ``decide()`` writes the new state, who decided and when."""

    state_field = "state"
    decided_by_field = "decided_by"
    decided_at_field = "decided_at"

    def decide(self, state, *, actor, at=None, **values):
        """Stamp the decision (``at``: now by default) and ``values`` (e.g. ``reason``).

        Returns the names of the fields written, for ``save(update_fields=…)``."""
        stamped = {
            self.state_field: state,
            self.decided_by_field: actor,
            self.decided_at_field: at or timezone.now(),
            **values,
        }
        for name, value in stamped.items():
            setattr(self, name, value)
        return list(stamped)


def lock_row(model, pk, *, select_related=()):
    """The row, locked until the end of the transaction: deciders queue up here."""
    rows = model.objects.select_for_update()
    if select_related:
        rows = rows.select_related(*select_related)
    return rows.get(pk=pk)


def checkpoint(row):
    """Called between reading the row's state and writing the decision (tests hook in)."""


def lock_pending(model, pk, *, already_decided, still_pending=None, select_related=()):
    """The row, locked and still pending, or ``already_decided(row)`` is raised.

    ``still_pending(row)`` replaces the default check ``row.is_pending`` (a document must
    also not have been replaced meanwhile)."""
    locked = lock_row(model, pk, select_related=select_related)
    pending = still_pending(locked) if still_pending else locked.is_pending
    if not pending:
        raise already_decided(locked)
    checkpoint(locked)
    return locked
