import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from pages.models import MenuDish, MenuGroup, MenuWeekPage
from pages.weeks import iso_week_code, week_label

from .helpers import add_week, menus_index, this_monday

pytestmark = pytest.mark.django_db


def test_menus_page_shows_this_week_with_labels_and_allergens(client, public_site):
    page = MenuWeekPage.objects.get(week_start=this_monday())
    dish = page.dishes.exclude(allergens=[]).exclude(labels=[]).first()
    response = client.get("/menus/")
    html = response.content.decode()
    assert response.status_code == 200
    assert week_label(this_monday()) in html
    assert escape(dish.name) in html
    assert "Allergènes :" in html
    # Today is tagged when it has a menu (not on a weekend or a day without canteen).
    served_today = page.dishes.filter(day=timezone.localdate().isoweekday()).exists()
    assert ("aujourd'hui" in html) == served_today
    assert f"/menus/semaine/{iso_week_code(this_monday() - datetime.timedelta(days=7))}/" in html
    assert f"/menus/semaine/{iso_week_code(this_monday() + datetime.timedelta(days=7))}/" in html


def test_another_week_is_reached_by_its_iso_code(client, public_site):
    next_monday = this_monday() + datetime.timedelta(days=7)
    expected = MenuWeekPage.objects.get(week_start=next_monday).dishes.first().name
    response = client.get(f"/menus/semaine/{iso_week_code(next_monday)}/")
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert week_label(next_monday) in response.content.decode()


def test_a_week_without_menus_says_so(client, public_site):
    response = client.get("/menus/semaine/2030-W10/")
    assert response.status_code == 200
    assert "ne sont pas encore publiés" in response.content.decode()


@pytest.mark.parametrize("code", ["2026-W60", "abc", "2026-W00", "99999-W1"])
def test_a_malformed_week_gets_a_french_message_not_an_error(client, public_site, code):
    response = client.get(f"/menus/semaine/{code}/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Cette semaine n'existe pas" in html
    assert 'role="alert"' in html


def test_the_day_form_redirects_to_the_week_of_that_day(client, public_site):
    response = client.get("/menus/", {"jour": "2026-11-26"})
    assert response.status_code == 302
    assert response["Location"] == "/menus/semaine/2026-W48/"
    response = client.get("/menus/", {"jour": "26/11/2026"})
    assert response["Location"] == "/menus/semaine/2026-W48/"


@pytest.mark.parametrize("value", ["demain", "2026-02-30", ""])
def test_a_bad_day_shows_the_error_next_to_the_field(client, public_site, value):
    response = client.get("/menus/", {"jour": value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le formulaire contient 1 erreur" in html
    assert "field__error" in html


def test_unpublished_and_draft_weeks_stay_hidden(client, public_site):
    monday = datetime.date(2031, 3, 3)
    add_week(menus_index(public_site), monday, [(1, "main", "Plat secret", [], [])], publish=False)
    response = client.get(f"/menus/semaine/{iso_week_code(monday)}/")
    assert "Plat secret" not in response.content.decode()


def test_several_kitchens_are_shown_side_by_side_with_their_schools(client, public_site):
    sites = public_site.objects["sites"]
    north = MenuGroup.objects.create(name="Cuisine nord", slug="nord", sort_order=1)
    north.schools.set([sites["École maternelle Les Tilleuls"]])
    north.save()
    south = MenuGroup.objects.create(name="Cuisine sud", slug="sud", sort_order=2)
    monday = datetime.date(2031, 3, 10)
    index = menus_index(public_site)
    add_week(index, monday, [(1, "main", "Gratin nord", [], [])], group=north)
    add_week(index, monday, [(1, "main", "Gratin sud", [], [])], group=south)
    html = client.get(f"/menus/semaine/{iso_week_code(monday)}/").content.decode()
    assert html.index("Cuisine nord") < html.index("Gratin nord") < html.index("Cuisine sud")
    assert "Servis à : École maternelle Les Tilleuls" in html
    assert "Gratin sud" in html


def test_week_page_has_its_own_url_and_links_to_neighbour_weeks(client, public_site):
    page = MenuWeekPage.objects.get(week_start=this_monday())
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(page.dishes.first().name) in html
    assert f"/menus/semaine/{iso_week_code(this_monday() + datetime.timedelta(days=7))}/" in html


def test_home_shows_this_weeks_menu(client, public_site):
    today = timezone.localdate()
    page = MenuWeekPage.objects.get(week_start=this_monday())
    today_dishes = [dish.name for dish in page.dishes.all() if dish.day == today.isoweekday()]
    html = client.get("/").content.decode()
    assert f"Au menu de la cantine — {week_label(this_monday())}" in html
    for name in today_dishes:
        assert escape(name) in html


def test_week_start_is_moved_to_monday_and_must_be_unique(public_site):
    index = menus_index(public_site)
    page = MenuWeekPage(title="Semaine test", slug="test", week_start=datetime.date(2031, 5, 8))
    page.full_clean(exclude=["path", "depth", "url_path"])
    assert page.week_start == datetime.date(2031, 5, 5)
    index.add_child(instance=page)
    twin = MenuWeekPage(title="Doublon", slug="doublon", week_start=datetime.date(2031, 5, 7))
    with pytest.raises(ValidationError) as error:
        twin.full_clean(exclude=["path", "depth", "url_path"])
    assert "existent déjà" in str(error.value)


def test_dishes_accept_only_the_fixed_labels_and_allergens(public_site):
    page = MenuWeekPage.objects.first()
    dish = MenuDish(page=page, day=1, course="main", name="Plat", labels=["bio"], allergens=[])
    with pytest.raises(ValidationError, match="Valeur inconnue"):
        dish.full_clean()
    dish = MenuDish(page=page, day=1, course="main", name="Plat", allergens=["gluten", "ail"])
    with pytest.raises(ValidationError, match="ail"):
        dish.full_clean()
    dish = MenuDish(page=page, day=1, course="main", name="Plat", allergens=["milk", "milk"])
    with pytest.raises(ValidationError, match="répétée"):
        dish.full_clean()
    MenuDish(
        page=page, day=1, course="main", name="Plat", labels=["organic"], allergens=["milk"]
    ).full_clean()


def test_labels_and_allergens_survive_a_revision(public_site):
    index = menus_index(public_site)
    page = add_week(
        index,
        datetime.date(2031, 6, 2),
        [(2, "dessert", "Tarte", ["homemade", "local"], ["gluten", "eggs", "milk"])],
    )
    page = MenuWeekPage.objects.get(pk=page.pk)
    latest = page.get_latest_revision_as_object()
    dish = latest.dishes.all()[0]
    assert dish.labels == ["homemade", "local"]
    assert dish.allergens == ["gluten", "eggs", "milk"]
