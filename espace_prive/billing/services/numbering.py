"""Gapless numbers per régie, kind and year (``2026-000123``; credit notes ``AV-…``).

The sequence row is locked (``SELECT … FOR UPDATE``) and incremented inside the
transaction that issues the document: concurrent issues queue on the lock, and a
rollback gives the number back. Never MAX()+1 (pretix#1080).
"""

from django.db import transaction

from ..models import InvoiceSequence, SequenceKind

PREFIX = {SequenceKind.INVOICE: "", SequenceKind.CREDIT_NOTE: "AV-"}


def format_number(kind, year, sequence):
    return f"{PREFIX[kind]}{year}-{sequence:06d}"


def number_next(*, regie, kind, year, lock=True, pause=None):
    """The next (sequence, number) of ``regie``; must run inside the issuing transaction.

    ``lock=False`` and ``pause`` exist for the concurrency test's control only.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next must run inside the issuing transaction")
    rows = InvoiceSequence.objects.filter(regie=regie, kind=kind, year=year)
    locked = rows.select_for_update() if lock else rows
    row = locked.first()
    if row is None:  # the year's first number: create the row (once), then lock it
        InvoiceSequence.objects.bulk_create(
            [InvoiceSequence(regie=regie, kind=kind, year=year)], ignore_conflicts=True
        )
        row = locked.get()
    if pause:
        pause()
    sequence = row.last_number + 1
    rows.filter(pk=row.pk).update(last_number=sequence)
    return sequence, format_number(kind, year, sequence)
