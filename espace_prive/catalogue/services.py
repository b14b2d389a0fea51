"""Writes and rules of the catalogue: tariff grids."""

import itertools
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import TariffBand, TariffGrid

# Plausible values: beyond them a figure is a typo (a missing comma, a wrong year).
MAX_UNIT_PRICE = Decimal("1000")
MAX_QUOTIENT = 99_999
EARLIEST_GRID_YEAR = 2000
GRID_YEARS_AHEAD = 3


def price_error(price):
    """The French message for a unit price too high to be true, or None (a negative
    price is refused by the field's validator and the database constraint)."""
    if price is None:
        return None
    if price > MAX_UNIT_PRICE:
        return (
            f"Un prix unitaire ne dépasse pas {MAX_UNIT_PRICE:.0f} € : vérifiez la virgule "
            "(par exemple 3,20)."
        )
    return None


def quotient_error(quotient):
    if quotient is not None and quotient > MAX_QUOTIENT:
        return f"Un quotient familial ne dépasse pas {MAX_QUOTIENT:_} €.".replace("_", "\u202f")
    return None


def grid_date_error(day, *, today=None):
    """The French message for a grid date too far in the past or the future, or None."""
    if day is None:
        return None
    today = today or timezone.localdate()
    latest = today.year + GRID_YEARS_AHEAD
    if not EARLIEST_GRID_YEAR <= day.year <= latest:
        return f"Choisissez une date entre {EARLIEST_GRID_YEAR} et {latest} : vérifiez l'année."
    return None


def tariff_values_validate(*, valid_from, valid_until, prices, bands):
    """Refuse implausible dates, prices and QF bounds; errors by field, in French.

    ``prices`` is ``{field name: price}``; ``bands`` ``[(qf_min, qf_max, price)]``.
    """
    errors = {}
    for name, day in (("valid_from", valid_from), ("valid_until", valid_until)):
        if message := grid_date_error(day):
            errors[name] = message
    for name, price in prices.items():
        if message := price_error(price):
            errors[name] = message
    for qf_min, qf_max, price in bands:
        for message in (quotient_error(qf_min), quotient_error(qf_max), price_error(price)):
            if message:
                errors.setdefault("bands", []).append(message)
    if errors:
        raise ValidationError(errors)


def tariff_bands_validate(bands):
    """Check that QF bands ``[(qf_min, qf_max or None), …]`` cover every QF once.

    The first band starts at 0, each band starts where the previous one ends (no gap,
    no overlap) and only the last one has no ceiling. Raises ``ValidationError`` with
    every problem found, in French.
    """
    errors = []
    ordered = sorted(bands, key=lambda band: band[0])
    if not ordered:
        raise ValidationError("La grille doit contenir au moins une tranche de QF.")
    for qf_min, qf_max in ordered:
        if qf_max is not None and qf_max <= qf_min:
            errors.append(
                f"La tranche qui commence à {qf_min} doit finir après son début ({qf_max})."
            )
    if ordered[0][0] != 0:
        errors.append(f"La première tranche doit commencer à 0 (elle commence à {ordered[0][0]}).")
    for (prev_min, prev_max), (next_min, _next_max) in itertools.pairwise(ordered):
        if prev_max is None:
            errors.append(
                "Seule la dernière tranche peut être sans plafond "
                f"(celle qui commence à {prev_min})."
            )
        elif next_min < prev_max:
            errors.append(
                f"Les tranches qui commencent à {prev_min} et à {next_min} se chevauchent."
            )
        elif next_min > prev_max:
            errors.append(f"Aucune tranche ne couvre les QF de {prev_max} à {next_min - 1}.")
    if ordered[-1][1] is not None:
        errors.append(
            f"La dernière tranche doit être sans plafond (elle s'arrête à {ordered[-1][1]})."
        )
    if errors:
        raise ValidationError(errors)


def tariff_grid_period_validate(*, service, valid_from, valid_until, exclude_pk=None):
    """A service has one grid at a time: refuse a period overlapping another grid's."""
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError("La fin de validité doit suivre le début.")
    overlapping = TariffGrid.objects.filter(
        service=service, valid_from__lte=valid_until, valid_until__gte=valid_from
    )
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    other = overlapping.first()
    if other is not None:
        raise ValidationError(
            f"Cette période chevauche la grille « {other.label} » "
            f"({other.valid_from:%d/%m/%Y} – {other.valid_until:%d/%m/%Y})."
        )


@transaction.atomic
def tariff_grid_create(
    *,
    service,
    label,
    valid_from,
    valid_until,
    non_resident_price,
    bands,
    no_qf_price=None,
    actor=None,
):
    """Create a grid and its bands ``[(qf_min, qf_max or None, price), …]`` after checks."""
    tariff_values_validate(
        valid_from=valid_from,
        valid_until=valid_until,
        prices={"non_resident_price": non_resident_price, "no_qf_price": no_qf_price},
        bands=bands,
    )
    tariff_grid_period_validate(service=service, valid_from=valid_from, valid_until=valid_until)
    tariff_bands_validate([(qf_min, qf_max) for qf_min, qf_max, _price in bands])
    grid = TariffGrid.objects.create(
        service=service,
        label=label,
        valid_from=valid_from,
        valid_until=valid_until,
        non_resident_price=non_resident_price,
        no_qf_price=no_qf_price,
    )
    TariffBand.objects.bulk_create(
        TariffBand(grid=grid, qf_min=qf_min, qf_max=qf_max, price=price)
        for qf_min, qf_max, price in bands
    )
    return grid
