"""Gapless numbers per régie, kind and year (``2026-000123``; credit notes ``AV-…``).

The sequence row is locked (``SELECT … FOR UPDATE``) and incremented inside the
transaction that issues the document: concurrent issues queue on the lock, and a
rollback gives the number back. Never MAX()+1 (pretix#1080). A billing run reserves
the numbers of a whole batch in one locked ``UPDATE … RETURNING`` (``number_block``).
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


def number_block(*, regie, kind, year, count):
    """Reserve ``count`` consecutive numbers of ``regie`` at once; returns the first.

    One ``UPDATE … RETURNING`` inside the issuing transaction: the row stays locked
    until the commit (a concurrent issue of the same régie waits, then numbers after
    this block), and a rollback gives the whole block back, so there is still no gap.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_block must run inside the issuing transaction")
    if count < 1:
        raise ValueError("count must be at least 1")
    table = InvoiceSequence._meta.db_table
    sql = (
        f"UPDATE {table} SET last_number = last_number + %s "  # noqa: S608 (our table name)
        "WHERE regie_id = %s AND kind = %s AND year = %s RETURNING last_number"
    )
    for _attempt in range(2):
        with transaction.get_connection().cursor() as cursor:
            cursor.execute(sql, [count, regie.pk, kind, year])
            row = cursor.fetchone()
        if row is not None:
            return row[0] - count + 1
        # The year's first number: create the row (once, whoever wins), then update it.
        InvoiceSequence.objects.bulk_create(
            [InvoiceSequence(regie=regie, kind=kind, year=year)], ignore_conflicts=True
        )
    raise RuntimeError("the numbering sequence row could not be created")
