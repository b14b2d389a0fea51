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


def html_of(response):
    """The response's HTML with entities decoded (``&#x27;`` → ``'``), for plain asserts."""
    import html

    return html.unescape(response.content.decode())
