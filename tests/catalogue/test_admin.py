import html
from decimal import Decimal

import pytest
from django.urls import reverse

from espace_prive.catalogue.models import Service, TariffGrid

pytestmark = pytest.mark.django_db


def grid_form(service, bands, **fields):
    data = {
        "service": service.pk,
        "label": "Année scolaire 2026-2027",
        "valid_from": "2026-09-01",
        "valid_until": "2027-08-31",
        "non_resident_price": "6.50",
        "no_qf_price": "",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "1",
        "bands-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, (qf_min, qf_max, price) in enumerate(bands):
        data.update(
            {
                f"bands-{index}-qf_min": str(qf_min),
                f"bands-{index}-qf_max": "" if qf_max is None else str(qf_max),
                f"bands-{index}-price": price,
                f"bands-{index}-id": "",
                f"bands-{index}-DELETE": "",
            }
        )
    return data


@pytest.fixture
def service():
    return Service.objects.create(
        name="Restauration scolaire", slug="cantine", kind="restauration", unit="repas"
    )


def test_staff_create_a_tariff_grid_with_its_bands(staff_client, service):
    url = reverse("wagtailsnippets_catalogue_tariffgrid:add")
    response = staff_client.post(url, grid_form(service, [(0, 500, "1.00"), (500, None, "3.20")]))
    assert response.status_code == 302, response.context["form"].errors
    grid = TariffGrid.objects.get()
    assert [(b.qf_min, b.qf_max, b.price) for b in grid.bands.all()] == [
        (0, 500, Decimal("1.00")),
        (500, None, Decimal("3.20")),
    ]


def test_the_admin_refuses_overlapping_bands_and_says_why(staff_client, service):
    url = reverse("wagtailsnippets_catalogue_tariffgrid:add")
    response = staff_client.post(url, grid_form(service, [(0, 600, "1.00"), (500, None, "3.20")]))
    assert response.status_code == 200
    assert "se chevauchent" in response.content.decode()
    assert not TariffGrid.objects.exists()


def test_the_admin_refuses_a_second_grid_over_the_same_period(staff_client, service):
    url = reverse("wagtailsnippets_catalogue_tariffgrid:add")
    assert staff_client.post(url, grid_form(service, [(0, None, "1.00")])).status_code == 302
    response = staff_client.post(url, grid_form(service, [(0, None, "2.00")]))
    assert response.status_code == 200
    assert "chevauche la grille" in response.content.decode()
    assert TariffGrid.objects.count() == 1


def test_the_admin_reads_prices_typed_with_a_french_comma(staff_client, service):
    url = reverse("wagtailsnippets_catalogue_tariffgrid:add")
    data = grid_form(service, [(0, 500, "1,05"), (500, None, " 3,20 ")], non_resident_price="6,50")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    grid = TariffGrid.objects.get()
    assert grid.non_resident_price == Decimal("6.50")
    assert [band.price for band in grid.bands.all()] == [Decimal("1.05"), Decimal("3.20")]


@pytest.mark.parametrize(
    ("fields", "bands", "message"),
    [
        ({"non_resident_price": "650"}, [(0, None, "1.00")], None),
        ({"non_resident_price": "6500"}, [(0, None, "1.00")], "ne dépasse pas 1000 €"),
        ({"no_qf_price": "12000,00"}, [(0, None, "1.00")], "ne dépasse pas 1000 €"),
        ({}, [(0, None, "3200")], "ne dépasse pas 1000 €"),
        ({}, [(0, 250000, "1.00"), (250000, None, "2.00")], "ne dépasse pas 99\u202f999 €"),
        ({"valid_from": "1926-09-01"}, [(0, None, "1.00")], "vérifiez l'année"),
        ({"valid_until": "2207-08-31"}, [(0, None, "1.00")], "vérifiez l'année"),
    ],
)
def test_the_admin_refuses_implausible_amounts_and_dates(
    staff_client, service, fields, bands, message
):
    url = reverse("wagtailsnippets_catalogue_tariffgrid:add")
    response = staff_client.post(url, grid_form(service, bands, **fields))
    if message is None:  # the control: a plausible grid is saved
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not TariffGrid.objects.exists()
