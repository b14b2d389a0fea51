"""Writes of the family domain: plain functions called by views, API, admin and commands."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Child, Family, Guardian

REFERENCE_PATTERN = re.compile(r"^FAM-(\d+)$")


def next_family_reference():
    """The next free reference of the form FAM-00001 (the unique constraint is the guard)."""
    highest = 0
    for reference in Family.objects.filter(reference__startswith="FAM-").values_list(
        "reference", flat=True
    ):
        match = REFERENCE_PATTERN.match(reference)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"FAM-{highest + 1:05d}"


def child_validate_birth_date(birth_date):
    if birth_date > timezone.localdate():
        raise ValidationError(
            {"birth_date": "La date de naissance ne peut pas être dans le futur."}
        )


@transaction.atomic
def family_create(*, actor, reference=None, **fields):
    """Create a family; without a reference, the next FAM-xxxxx is taken."""
    if reference:
        return Family.objects.create(reference=reference, **fields)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Family.objects.create(reference=next_family_reference(), **fields)
        except IntegrityError:
            continue  # another request took that reference meanwhile
    raise RuntimeError("Impossible d'attribuer une référence de famille.")


def guardian_add(*, actor, family, role, first_name, last_name, user=None, **fields):
    guardian = Guardian(
        family=family, role=role, first_name=first_name, last_name=last_name, user=user, **fields
    )
    guardian.full_clean()
    guardian.save()
    return guardian


def child_add(*, actor, family, first_name, last_name, birth_date, **fields):
    child_validate_birth_date(birth_date)
    child = Child(
        family=family, first_name=first_name, last_name=last_name, birth_date=birth_date, **fields
    )
    child.full_clean()
    child.save()
    return child
