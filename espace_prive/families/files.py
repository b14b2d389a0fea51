"""The names a family's files are downloaded under (``espace_prive.downloads`` turns the
words into ``photo-lea-martin.jpg``, ``pai-lea-martin.pdf``, ``attestation-qf-2026.pdf``).

The same names on the family's pages, in the API and on the staff side; a file sent
with a pending request is named as the file it would become.
"""

from django.utils import timezone

FILE_LABELS = {"photo": "photo", "pai_document": "pai", "qf_proof": "attestation qf"}


def file_words(field, *, family, child=None, sent_on=None):
    """The words naming the file of ``field`` (``photo``, ``pai_document``, ``qf_proof``)
    of ``family`` or of its ``child``; ``sent_on`` is the day a pending request sent it."""
    label = FILE_LABELS.get(field, field.replace("_", " "))
    if field == "qf_proof":
        return (label, qf_year(family, sent_on=sent_on))
    return (label, child.full_name if child is not None else "")


def qf_year(family, *, sent_on=None):
    """The year of the quotient familial an attestation proves: the start of its
    validity once validated, else the year it was sent (or this year)."""
    if sent_on is not None:
        return sent_on.year
    return (family.qf_valid_from or timezone.localdate()).year


def sheet_words(child, *, complete=False):
    """Words naming a child's fiche: ``fiche-enfant[-complete]-lea-martin.pdf``."""
    return ("fiche enfant complète" if complete else "fiche enfant", child.full_name)
