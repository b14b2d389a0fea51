"""Menu weeks are typed within ten years of today, wherever a week is typed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pages.models import MenuWeekPage
from pages.services import menu_csv_parse, menu_week_copy
from pages.weeks import menu_week_error
from tests.reading import text

from .helpers import menus_index, this_monday, week_form

TODAY = datetime.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(2027, 1, 4), None),
        (datetime.date(2036, 6, 1), None),
        (datetime.date(2017, 3, 6), None),
        (datetime.date(2062, 11, 24), "trop loin"),
        (datetime.date(2206, 11, 24), "trop loin"),
        (datetime.date(2015, 11, 23), "trop ancienne"),
        (datetime.date(1926, 11, 24), "trop ancienne"),
    ],
)
def test_a_menu_week_decades_away_is_refused_with_a_french_message(day, message):
    error = menu_week_error(day, today=TODAY)
    if message is None:
        assert error is None
    else:
        assert message in error and "Vérifiez l'année" in error


@pytest.mark.django_db
def test_copying_a_week_to_a_week_decades_away_is_refused(staff_user, public_site):
    source = MenuWeekPage.objects.get(week_start=this_monday())
    far = this_monday() + datetime.timedelta(weeks=52 * 40)
    with pytest.raises(ValidationError, match="trop loin"):
        menu_week_copy(source=source, week_start=far, menu_group=None, actor=staff_user)
    assert not MenuWeekPage.objects.filter(week_start=far).exists()


@pytest.mark.django_db
def test_the_copy_view_shows_the_error_next_to_the_week(staff_client, public_site):
    source = MenuWeekPage.objects.get(week_start=this_monday())
    response = staff_client.post(
        reverse("pages_menus_copy"), {"source": source.pk, "week": "2062-11-24"}
    )
    assert response.status_code == 200
    assert "trop loin" in response.context["form"].errors["week"][0]


def test_a_csv_line_decades_away_is_a_bad_line():
    preview = menu_csv_parse(
        "date;type;plat\n"
        f"{(this_monday() + datetime.timedelta(weeks=2)):%d/%m/%Y};plat;Poisson\n"
        "24/11/2062;plat;Poulet\n"
    )
    assert [line.name for line in preview.valid_lines] == ["Poisson"]
    assert "trop loin" in preview.bad_lines[0].errors[0]


@pytest.mark.django_db
def test_a_week_page_decades_away_is_refused_in_the_admin(staff_client, public_site):
    index = menus_index(public_site)
    url = reverse("wagtailadmin_pages:add", args=("pages", "menuweekpage", index.pk))
    data = week_form("2062-03-01")
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "trop loin" in response.content.decode()
    assert not MenuWeekPage.objects.filter(week_start__year=2062).exists()


@pytest.mark.django_db
def test_the_public_day_picker_refuses_a_day_decades_away(client, public_site):
    response = client.get("/menus/", {"jour": "24/11/2062"})
    assert response.status_code == 400
    assert "trop loin" in text(response)
    assert client.get("/menus/", {"jour": f"{this_monday():%d/%m/%Y}"}).status_code == 302


@pytest.mark.django_db
def test_the_menus_of_a_week_decades_away_answer_400(client, public_site):
    response = client.get("/menus/semaine/2062-W10/")
    assert response.status_code == 400
    assert "trop loin" in text(response)
    assert client.get("/menus/semaine/2030-W10/").status_code == 200  # the control


@pytest.mark.django_db
def test_the_menus_api_refuses_a_week_decades_away(client, public_site):
    response = client.get("/api/v2/menus/", {"week": "2062-W10"})
    assert response.status_code == 400
    assert "trop loin" in response.json()["message"]
    assert client.get("/api/v2/menus/", {"week": "2030-W10"}).status_code == 200
