import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from espace_prive.catalogue.models import Service, TariffBand, TariffGrid
from espace_prive.catalogue.selectors import (
    TariffNotFound,
    current_tariff_grids,
    price_from_grid,
    school_year_bounds,
    unit_price,
)
from espace_prive.catalogue.services import (
    tariff_bands_validate,
    tariff_grid_create,
    tariff_grid_period_validate,
)

pytestmark = pytest.mark.django_db

YEAR_START, YEAR_END = datetime.date(2026, 9, 1), datetime.date(2027, 8, 31)
BANDS = [(0, 500, "1.00"), (500, 800, "2.10"), (800, None, "3.20")]


def make_service(slug="cantine", **fields):
    fields.setdefault("name", f"Service {slug}")
    return Service.objects.create(
        slug=slug, kind=Service.Kind.CANTEEN, unit=Service.Unit.MEAL, **fields
    )


def make_grid(service, *, valid_from=YEAR_START, valid_until=YEAR_END, bands=BANDS, **fields):
    fields.setdefault("non_resident_price", Decimal("6.50"))
    return tariff_grid_create(
        service=service,
        label="Année scolaire",
        valid_from=valid_from,
        valid_until=valid_until,
        bands=[(qf_min, qf_max, Decimal(price)) for qf_min, qf_max, price in bands],
        **fields,
    )


ON = datetime.date(2026, 11, 25)


def test_unit_price_uses_the_band_holding_the_quotient_familial():
    service = make_service()
    make_grid(service)
    assert unit_price(service, 0, on=ON) == Decimal("1.00")
    assert unit_price(service, 499, on=ON) == Decimal("1.00")
    assert unit_price(service, 500, on=ON) == Decimal("2.10")  # [min, max): 500 is the next band
    assert unit_price(service, 799, on=ON) == Decimal("2.10")
    assert unit_price(service, 800, on=ON) == Decimal("3.20")
    assert unit_price(service, 25_000, on=ON) == Decimal("3.20")
    assert isinstance(unit_price(service, 100, on=ON), Decimal)


def test_unit_price_accepts_a_decimal_quotient():
    service = make_service()
    make_grid(service)
    assert unit_price(service, Decimal("499.99"), on=ON) == Decimal("1.00")


def test_non_residents_pay_the_non_resident_rate_whatever_their_qf():
    service = make_service()
    make_grid(service)
    assert unit_price(service, 100, resident=False, on=ON) == Decimal("6.50")
    assert unit_price(service, None, resident=False, on=ON) == Decimal("6.50")


def test_without_a_valid_qf_the_specific_rate_applies_when_set():
    service = make_service()
    make_grid(service, no_qf_price=Decimal("4.00"))
    assert unit_price(service, None, on=ON) == Decimal("4.00")


def test_without_a_valid_qf_the_highest_price_applies_by_default():
    service = make_service()
    make_grid(service, bands=[(0, 500, "1.00"), (500, 800, "5.00"), (800, None, "3.20")])
    assert unit_price(service, None, on=ON) == Decimal("5.00")


def test_the_grid_valid_on_the_date_is_used():
    service = make_service()
    make_grid(service)
    make_grid(
        service,
        valid_from=datetime.date(2027, 9, 1),
        valid_until=datetime.date(2028, 8, 31),
        bands=[(0, None, "9.99")],
    )
    assert unit_price(service, 100, on=datetime.date(2027, 8, 31)) == Decimal("1.00")
    assert unit_price(service, 100, on=datetime.date(2027, 9, 1)) == Decimal("9.99")


def test_no_grid_on_the_date_raises_tariff_not_found():
    service = make_service()
    make_grid(service)
    with pytest.raises(TariffNotFound):
        unit_price(service, 100, on=datetime.date(2025, 1, 1))


def test_a_negative_or_non_numeric_quotient_is_refused():
    service = make_service()
    make_grid(service)
    with pytest.raises(ValueError):
        unit_price(service, -1, on=ON)
    with pytest.raises(TypeError):
        unit_price(service, "850", on=ON)
    with pytest.raises(TypeError):
        unit_price(service, 850.0, on=ON)


def test_a_gap_in_the_bands_raises_tariff_not_found():
    service = make_service()
    grid = TariffGrid.objects.create(
        service=service,
        label="Grille à trou",
        valid_from=YEAR_START,
        valid_until=YEAR_END,
        non_resident_price=Decimal("5"),
    )
    TariffBand.objects.create(grid=grid, qf_min=0, qf_max=500, price=Decimal("1"))
    TariffBand.objects.create(grid=grid, qf_min=600, qf_max=None, price=Decimal("2"))
    with pytest.raises(TariffNotFound):
        unit_price(service, 550, on=ON)


def test_current_grids_and_prices_take_a_fixed_number_of_queries(django_assert_num_queries):
    services = [make_service(slug=f"s{n}") for n in range(4)]
    for service in services:
        make_grid(service)
    with django_assert_num_queries(2):
        grids = current_tariff_grids(on=ON)
        prices = [price_from_grid(grid, 650) for grid in grids.values()]
    assert prices == [Decimal("2.10")] * 4


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([(100, None)], "commencer à 0"),
        ([(0, 500), (600, None)], "Aucune tranche ne couvre les QF de 500 à 599"),
        ([(0, 500), (400, None)], "se chevauchent"),
        ([(0, 500), (500, 900)], "La dernière tranche doit être sans plafond"),
        ([(0, None), (500, None)], "Seule la dernière tranche"),
        ([(0, 0), (0, None)], "doit finir après son début"),
        ([], "au moins une tranche"),
    ],
)
def test_bands_that_leave_a_gap_or_overlap_are_refused(bands, message):
    with pytest.raises(ValidationError) as error:
        tariff_bands_validate(bands)
    assert any(message in text for text in error.value.messages), error.value.messages


def test_contiguous_bands_from_zero_are_accepted():
    tariff_bands_validate([(800, None), (0, 500), (500, 800)])


def test_a_service_has_one_grid_at_a_time():
    service = make_service()
    grid = make_grid(service)
    with pytest.raises(ValidationError, match="chevauche"):
        tariff_grid_period_validate(
            service=service,
            valid_from=datetime.date(2027, 8, 1),
            valid_until=datetime.date(2028, 7, 31),
        )
    # The next school year starts the day after: allowed; the grid itself is not a conflict.
    tariff_grid_period_validate(
        service=service,
        valid_from=datetime.date(2027, 9, 1),
        valid_until=datetime.date(2028, 8, 31),
    )
    tariff_grid_period_validate(
        service=service, valid_from=YEAR_START, valid_until=YEAR_END, exclude_pk=grid.pk
    )
    # Another service may have its own grid on the same dates.
    make_grid(make_service(slug="autre"))


def test_database_refuses_an_empty_band_and_negative_prices():
    service = make_service()
    grid = make_grid(service)
    with pytest.raises(IntegrityError), transaction.atomic():
        TariffBand.objects.create(grid=grid, qf_min=3000, qf_max=3000, price=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TariffBand.objects.create(grid=grid, qf_min=4000, qf_max=None, price=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TariffGrid.objects.create(
            service=service,
            label="À l'envers",
            valid_from=datetime.date(2030, 9, 1),
            valid_until=datetime.date(2030, 8, 31),
            non_resident_price=Decimal("1"),
        )


@pytest.mark.postgres
def test_postgres_refuses_overlapping_bands_and_grids(settings):
    if not settings.DATABASE_IS_POSTGRES:
        pytest.skip("exclusion constraints exist on PostgreSQL only (SQLite relies on validation)")
    service = make_service()
    grid = make_grid(service)
    with pytest.raises(IntegrityError), transaction.atomic():
        TariffBand.objects.create(grid=grid, qf_min=700, qf_max=900, price=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TariffGrid.objects.create(
            service=service,
            label="Chevauche",
            valid_from=datetime.date(2027, 8, 31),
            valid_until=datetime.date(2028, 8, 31),
            non_resident_price=Decimal("1"),
        )
    # Control: a band after the others and a grid of the next year are accepted.
    grid.bands.filter(qf_max=None).update(qf_max=5000)
    TariffBand.objects.create(grid=grid, qf_min=5000, qf_max=None, price=Decimal("4"))
    TariffGrid.objects.create(
        service=service,
        label="Suivante",
        valid_from=datetime.date(2027, 9, 1),
        valid_until=datetime.date(2028, 8, 31),
        non_resident_price=Decimal("1"),
    )


def test_school_year_runs_from_september_to_august():
    assert school_year_bounds(datetime.date(2026, 11, 25)) == (YEAR_START, YEAR_END)
    assert school_year_bounds(datetime.date(2027, 8, 31)) == (YEAR_START, YEAR_END)
    assert school_year_bounds(datetime.date(2027, 9, 1))[0] == datetime.date(2027, 9, 1)


def test_tariff_grid_create_refuses_an_implausible_price_or_year():
    service = make_service("cantine-plausible", name="Cantine plausible")
    with pytest.raises(ValidationError) as refused:
        make_grid(service, non_resident_price=Decimal("6500"))
    assert "non_resident_price" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        make_grid(service, valid_from=datetime.date(1926, 9, 1))
    assert "valid_from" in refused.value.message_dict
    assert not service.tariff_grids.exists()
    assert make_grid(service).service == service  # the control: plausible values pass
