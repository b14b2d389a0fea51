"""Staff side: meal counts (page, CSV, PDF) and occupancy dashboard, behind the
kitchen's permissions (403 without)."""

import html
import subprocess

import pytest
from django.urls import reverse

from espace_prive.kitchen import occupancy
from espace_prive.kitchen.permissions import VIEW_MEAL_COUNTS, VIEW_OCCUPANCY
from tests.conftest import sign_in
from tests.factories import make_staff_with_perms
from tests.kitchen.fixtures import make_week

pytestmark = pytest.mark.django_db

WEEK = {"start": "2026-11-16", "days": "7"}


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def kitchen_client(client):
    return sign_in(client, make_staff_with_perms(VIEW_MEAL_COUNTS, email="cuisine@example.test"))


def test_the_meal_counts_page_shows_each_site_and_day(kitchen_client):
    make_week()
    page = text(kitchen_client.get(reverse("kitchen_admin:meals"), WEEK))
    assert "Cuisine : Cuisine centrale" in page
    assert "Sites sans cuisine rattachée" in page
    assert "École Pasteur" in page and "PAI / panier repas" in page and "Arachides" in page
    assert "Définitif" in page


def test_the_csv_has_one_line_per_site_and_day(kitchen_client):
    make_week()
    response = kitchen_client.get(reverse("kitchen_admin:meals_csv"), WEEK)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Jour;Cuisine;Site;Statut;Total repas;Standard;Sans porc")
    assert len(lines) == 6
    assert lines[1].startswith("16/11/2026;Cuisine centrale;École Jules-Ferry;définitif;4;1;1;1")
    curie = next(line for line in lines if "École Curie" in line)
    assert curie.split(";")[4] == "6"


def test_the_pdf_lists_the_kitchens(kitchen_client, tmp_path):
    make_week()
    response = kitchen_client.get(reverse("kitchen_admin:meals_pdf"), WEEK)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "effectifs.pdf"
    path.write_bytes(response.content)
    content = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Cuisine : Cuisine centrale" in content and "Sites sans cuisine rattachée" in content
    assert "Jules-Ferry" in content and "Curie" in content and "Mollusques" in content


def test_a_bad_date_is_refused_in_french(kitchen_client):
    response = kitchen_client.get(reverse("kitchen_admin:meals"), {"start": "demain", "days": "7"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in text(response)


def test_without_the_permission_the_pages_answer_403(client):
    from espace_prive.bookings.permissions import VIEW_BOOKING

    sign_in(client, make_staff_with_perms(VIEW_BOOKING, email="resa@example.test"))
    for name in ("kitchen_admin:meals", "kitchen_admin:meals_csv", "kitchen_admin:occupancy"):
        assert client.get(reverse(name)).status_code == 403


def test_meal_counts_do_not_open_the_occupancy_dashboard(kitchen_client):
    response = kitchen_client.get(reverse("kitchen_admin:occupancy"), {"month": "2026-11"})
    assert response.status_code in (302, 403)


@pytest.fixture
def occupancy_client(client):
    return sign_in(client, make_staff_with_perms(VIEW_OCCUPANCY, email="direction@example.test"))


def test_the_dashboard_shows_booked_over_places_and_waiting(occupancy_client):
    week = make_week()
    from espace_prive.bookings.models import UnitCapacity

    UnitCapacity.objects.create(unit=week["meal"], site=week["sites"]["ferry"], places=4)
    page = text(occupancy_client.get(reverse("kitchen_admin:occupancy"), {"month": "2026-11"}))
    assert "École Jules-Ferry" in page
    assert "4/4 +1" in page  # Monday: 4 booked of 4 places, 1 waiting
    assert "complet" in page
    # The attendance app registers its rates: the column is there (no register last month).
    assert "Présence mois précédent" in page


def test_an_attendance_provider_adds_last_months_rate(occupancy_client):
    week = make_week()
    service_id, site_id = week["meal"].service_id, week["sites"]["ferry"].pk

    def provider(*, start, end):
        assert (start.isoformat(), end.isoformat()) == ("2026-10-01", "2026-10-31")
        return {(service_id, site_id): (9, 10)}

    occupancy.register_attendance_provider(provider)
    try:
        page = text(occupancy_client.get(reverse("kitchen_admin:occupancy"), {"month": "2026-11"}))
        csv_lines = (
            occupancy_client.get(reverse("kitchen_admin:occupancy_csv"), {"month": "2026-11"})
            .content.decode("utf-8-sig")
            .splitlines()
        )
    finally:
        occupancy.unregister_attendance_provider(provider)
    assert "90 %" in page and "Présence mois précédent" in page
    assert csv_lines[0].endswith("Taux de présence du mois précédent (%)")
    assert any(line.endswith(";90") for line in csv_lines)


def test_the_dashboard_costs_the_same_queries_for_one_or_many_bookings(
    django_assert_max_num_queries,
):
    week = make_week()
    # 5 for the month, 2 for last month's attendance rate (the attendance app's registers).
    with django_assert_max_num_queries(7):
        board = occupancy.dashboard(2026, 12)
    assert board.lines and not any(line.booked for line in board.lines)
    with django_assert_max_num_queries(7):
        board = occupancy.dashboard(2026, 11)
    ferry_meal = next(
        line
        for line in board.lines
        if line.unit == week["meal"] and line.site == week["sites"]["ferry"]
    )
    assert ferry_meal.booked == 4 + 5 + 1  # Monday, Tuesday, Wednesday
    assert ferry_meal.waiting == 1


def test_a_bad_month_is_refused_in_french(occupancy_client):
    response = occupancy_client.get(reverse("kitchen_admin:occupancy"), {"month": "13-2026"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in text(response)


def test_the_enfance_jeunesse_groups_see_the_kitchen_pages_and_communication_does_not():
    from django.contrib.auth.models import Group

    def codenames(name):
        group = Group.objects.get(name=name)
        return set(
            group.permissions.filter(content_type__app_label="kitchen").values_list(
                "codename", flat=True
            )
        )

    assert {"view_meal_counts", "view_occupancy"} <= codenames("Agents Enfance-Jeunesse")
    assert "change_kitchen" in codenames("Responsables Enfance-Jeunesse")
    assert "change_kitchen" not in codenames("Agents Enfance-Jeunesse")
    communication = Group.objects.filter(name__icontains="communication").first()
    assert communication is not None and codenames(communication.name) == set()
