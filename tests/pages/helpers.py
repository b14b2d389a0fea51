"""Small builders for pages in tests."""

import datetime

from django.utils import timezone

from pages.models import MenuDish, MenusIndexPage, MenuWeekPage, NewsIndexPage, NewsPage
from pages.weeks import iso_week_code, monday_of, week_label


def home_of(public_site):
    return public_site.objects["home_page"]


def this_monday():
    return monday_of(timezone.localdate())


def add_week(index, monday, dishes, *, group=None, publish=True):
    page = MenuWeekPage(
        title=f"Menus de la {week_label(monday)}",
        slug=iso_week_code(monday).lower() + (f"-{group.slug}" if group else ""),
        week_start=monday,
        menu_group=group,
        live=publish,
    )
    page.dishes = [
        MenuDish(day=day, course=course, name=name, labels=labels, allergens=allergens)
        for day, course, name, labels, allergens in dishes
    ]
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def add_news(index, title, *, date=datetime.date(2026, 1, 5), body=None, publish=True, **fields):
    page = NewsPage(
        title=title, date=date, intro=f"Chapeau de {title}", body=body or [], live=publish, **fields
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return page


def menus_index(public_site):
    return MenusIndexPage.objects.get()


def news_index(public_site):
    return NewsIndexPage.objects.get()


def week_form(week_start, *dishes):
    """What the Wagtail admin posts for a new menu week (title and slug left empty, for
    the page to fill in); each dish is ``(day, course, name, labels, allergens)``."""
    data = {
        "title": "",
        "slug": "",
        "week_start": week_start,
        "menu_group": "",
        "note": "",
        "dishes-TOTAL_FORMS": str(len(dishes)),
        "dishes-INITIAL_FORMS": "0",
        "dishes-MIN_NUM_FORMS": "0",
        "dishes-MAX_NUM_FORMS": "1000",
    }
    for n, (day, course, name, labels, allergens) in enumerate(dishes):
        data |= {
            f"dishes-{n}-day": str(day),
            f"dishes-{n}-course": course,
            f"dishes-{n}-name": name,
            f"dishes-{n}-labels": labels,
            f"dishes-{n}-allergens": allergens,
            f"dishes-{n}-ORDER": str(n + 1),
            f"dishes-{n}-id": "",
            f"dishes-{n}-DELETE": "",
        }
    return data
