"""Reads of the catalogue: current tariff grids and unit prices.

``unit_price`` is the single rule that turns a quotient familial into a price: the
public simulator uses it now, billing will use it later.
"""

import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from .models import Service, Site, TariffBand, TariffGrid


class TariffNotFound(LookupError):
    """No grid covers the date, or no band of the grid holds the quotient familial."""


def _bands_prefetch():
    return Prefetch("bands", queryset=TariffBand.objects.order_by("qf_min"))


def _check_quotient(quotient_familial):
    if quotient_familial is None:
        return None
    if isinstance(quotient_familial, bool) or not isinstance(quotient_familial, int | Decimal):
        raise TypeError("quotient_familial must be an int, a Decimal or None")
    if quotient_familial < 0:
        raise ValueError("quotient_familial cannot be negative")
    return quotient_familial


def tariff_grid_for(service, *, on=None):
    """The grid of ``service`` valid on ``on`` (today by default), bands prefetched."""
    on = on or timezone.localdate()
    return (
        TariffGrid.objects.filter(service=service, valid_from__lte=on, valid_until__gte=on)
        .prefetch_related(_bands_prefetch())
        .first()
    )


def current_tariff_grids(*, on=None, services=None):
    """{service id: grid valid on ``on``} in two queries, bands prefetched."""
    on = on or timezone.localdate()
    grids = TariffGrid.objects.filter(valid_from__lte=on, valid_until__gte=on)
    if services is not None:
        grids = grids.filter(service__in=services)
    grids = grids.select_related("service").prefetch_related(_bands_prefetch())
    return {grid.service_id: grid for grid in grids}


def price_from_grid(grid, quotient_familial, *, resident=True):
    """The unit price ``grid`` gives; no query when the bands are prefetched.

    ``quotient_familial`` is None when the family has no valid QF.
    """
    quotient_familial = _check_quotient(quotient_familial)
    if not resident:
        return grid.non_resident_price
    bands = list(grid.bands.all())
    if quotient_familial is None:
        if grid.no_qf_price is not None:
            return grid.no_qf_price
        if not bands:
            raise TariffNotFound(f"La grille « {grid} » n'a aucune tranche.")
        return max(band.price for band in bands)
    for band in bands:
        if band.contains(quotient_familial):
            return band.price
    raise TariffNotFound(
        f"Aucune tranche de la grille « {grid} » ne contient le QF {quotient_familial}."
    )


def unit_price(service, quotient_familial, *, resident=True, on=None):
    """Unit price of ``service`` on ``on`` for a family with this QF (None: no valid QF).

    Raises ``TariffNotFound`` when no grid covers the date or no band holds the QF,
    ``ValueError`` for a negative QF.
    """
    _check_quotient(quotient_familial)
    on = on or timezone.localdate()
    grid = tariff_grid_for(service, on=on)
    if grid is None:
        raise TariffNotFound(f"Aucune grille tarifaire de « {service} » au {on:%d/%m/%Y}.")
    return price_from_grid(grid, quotient_familial, resident=resident)


def simulate_prices(quotient_familial, *, resident=True, on=None):
    """[(service, grid or None, price or None)] for every active service (3 queries)."""
    on = on or timezone.localdate()
    services = list(active_services())
    grids = current_tariff_grids(on=on, services=services)
    rows = []
    for service in services:
        grid = grids.get(service.id)
        price = None
        if grid is not None:
            try:
                price = price_from_grid(grid, quotient_familial, resident=resident)
            except TariffNotFound:
                price = None
        rows.append((service, grid, price))
    return rows


def active_services():
    return Service.objects.filter(is_active=True)


def active_sites():
    return Site.objects.filter(is_active=True)


def school_year_bounds(day):
    """First and last day of the school year (1 September – 31 August) holding ``day``."""
    start_year = day.year if day.month >= 9 else day.year - 1
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)
