"""Family side: the week's canteen menu of each child enrolled in the canteen, from the
published week pages, with the dishes holding the child's declared allergens flagged."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from espace_prive.kitchen.menus import InvalidWeek, parse_week, week_code
from pages.enums import Course
from pages.models import MenuGroup, MenusIndexPage
from tests.bookings.factories import make_calendar, make_enrolment
from tests.factories import make_health_record, make_site
from tests.pages.helpers import add_week

pytestmark = pytest.mark.django_db


def text(response):
    """The page as read: tags removed, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())).split())


@pytest.fixture
def next_monday():
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)


@pytest.fixture
def canteen(db):
    calendar = make_calendar()
    today = timezone.localdate()
    year = calendar["year"]
    year.starts_on, year.ends_on = (
        today - datetime.timedelta(days=60),
        today + datetime.timedelta(days=300),
    )
    year.save()
    return calendar


@pytest.fixture
def lea(family_a, canteen):
    child = family_a.family.children.get()
    child.first_name = "Léa"
    child.save(update_fields=["first_name"])
    make_health_record(child=child, food_allergens=["peanuts"], has_pai=True)
    make_enrolment(child=child, calendar=canteen)
    return child


@pytest.fixture
def menus(demo_site):
    home = demo_site
    index = MenusIndexPage(title="Menus", slug="menus")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _url(child, monday=None):
    url = reverse("espace_prive:kitchen:child_menus", args=[child.public_id])
    return url + (f"?semaine={week_code(monday)}" if monday else "")


def test_a_dish_holding_the_childs_allergen_is_flagged_in_words(client_a, lea, menus, next_monday):
    add_week(
        menus,
        next_monday,
        [
            (1, Course.MAIN, "Poulet satay aux cacahuètes", [], ["peanuts", "soy"]),
            (1, Course.DESSERT, "Yaourt nature", ["organic"], ["milk"]),
        ],
    )
    page = text(client_a.get(_url(lea, next_monday)))
    assert "Poulet satay aux cacahuètes" in page
    assert "Contient : arachides — Léa a un PAI" in page
    assert "Allergènes déclarés : Arachides — Léa a un PAI" in page
    assert "1 plat signalé cette semaine" in page
    # The other dish is listed with its allergens, not flagged.
    assert "Yaourt nature" in page and "Allergènes : Lait" in page
    assert page.count("Contient :") == 2  # the explanation and the one dish


def test_the_menu_of_the_childs_kitchen_is_chosen(client_a, lea, menus, next_monday, canteen):
    ours = MenuGroup.objects.create(name="Cuisine Nord", slug="nord")
    ours.schools.add(canteen["site"])
    ours.save()
    theirs = MenuGroup.objects.create(name="Cuisine Sud", slug="sud")
    theirs.schools.add(make_site(name="École du Sud"))
    theirs.save()
    add_week(menus, next_monday, [(2, Course.MAIN, "Gratin du Nord", [], [])], group=ours)
    add_week(menus, next_monday, [(2, Course.MAIN, "Tajine du Sud", [], [])], group=theirs)
    page = text(client_a.get(_url(lea, next_monday)))
    assert "Gratin du Nord" in page and "Cuisine Nord" in page
    assert "Tajine du Sud" not in page
    assert "Aucun plat de la semaine ne contient ces allergènes." in page


def test_the_family_page_lists_every_canteen_child(client_a, lea, menus, next_monday):
    add_week(menus, next_monday, [(1, Course.MAIN, "Pâtes", [], ["gluten"])])
    response = client_a.get(
        reverse("espace_prive:kitchen:menus"), {"semaine": week_code(next_monday)}
    )
    page = text(response)
    assert response.status_code == 200
    assert f"Léa — {lea.enrolments.get().site.name}" in page and "Pâtes" in page


def test_unpublished_menus_and_children_outside_the_canteen_are_said(
    client_a, family_a, lea, menus, next_monday
):
    assert "ne sont pas encore publiés" in text(client_a.get(_url(lea, next_monday)))
    lea.enrolments.all().delete()
    assert "n'est pas inscrit" in text(client_a.get(_url(lea, next_monday)))


@pytest.mark.parametrize("code", ["2026-W60", "semaine", "1990-W10"])
def test_a_bad_week_gets_a_french_message(client_a, lea, code):
    response = client_a.get(_url(lea), {"semaine": code})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_another_familys_child_is_not_found(client_b, lea):
    assert client_b.get(_url(lea)).status_code == 404


def test_week_codes_are_parsed():
    today = datetime.date(2026, 12, 3)
    assert parse_week("", today=today) == datetime.date(2026, 11, 30)
    assert parse_week("2026-W49", today=today) == datetime.date(2026, 11, 30)
    with pytest.raises(InvalidWeek):
        parse_week("2026-W54", today=today)


def test_the_family_page_costs_the_same_for_one_child_and_many_and_more_menus(
    client_a, family_a, lea, menus, next_monday, canteen
):
    """The house rule for list pages: a fixed number of queries, whatever the number of
    canteen children, of their allergies and of the week's dishes and kitchens."""
    from tests.factories import make_child
    from tests.queries import count_get

    north = MenuGroup.objects.create(name="Cuisine Nord", slug="nord")
    north.schools.add(canteen["site"])
    north.save()
    add_week(menus, next_monday, [(1, Course.MAIN, "Pâtes", [], ["gluten"])], group=north)
    url = reverse("espace_prive:kitchen:menus") + f"?semaine={week_code(next_monday)}"
    client_a.get(url)  # warm the caches (site settings, permissions)
    one = count_get(client_a, url)
    for n in range(4):
        child = make_child(family=family_a.family, first_name=f"Frère{n}")
        make_health_record(child=child, food_allergens=["gluten", "milk"], has_pai=n % 2 == 0)
        make_enrolment(child=child, calendar=canteen)
    south = MenuGroup.objects.create(name="Cuisine Sud", slug="sud")
    south.schools.add(make_site(name="École du Sud"))
    south.save()
    dishes = [(day, Course.MAIN, f"Plat {day}", [], ["gluten", "milk"]) for day in range(1, 6)]
    add_week(menus, next_monday, dishes)  # the town's menu, for every school
    add_week(menus, next_monday, dishes, group=south)
    many = count_get(client_a, url)
    page = text(client_a.get(url))
    assert page.count("Contient : gluten") >= 4, page  # each brother's lunch at Nord
    assert "Frère3" in page and "Pâtes" in page
    assert many == one
