"""Uncached pages (the public cache bypassed) run a fixed, small number of queries.

The first request of a process also fills Wagtail's own caches (content types, site
root paths, renditions) and the site chrome; it is made before measuring, as on a
running server. Then the count must not grow with the number of news or menus.
"""

import datetime

import pytest

from tests.queries import get_queries, sql_of

from .helpers import add_news, add_week, menus_index, news_index, this_monday

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.fixture
def no_public_cache(settings):
    settings.PUBLIC_CACHE_ENABLED = False


def count_queries(client, url, django_assert_max_num_queries, maximum=MAX_QUERIES):
    client.get(url)  # warm Wagtail's caches and the site chrome
    with django_assert_max_num_queries(maximum):
        queries = get_queries(client, url)
    return sql_of(queries)


def add_many(public_site, count):
    from wagtail.images import get_image_model

    images = list(get_image_model().objects.all())
    news = news_index(public_site)
    for number in range(count):
        add_news(
            news,
            f"Brève {number}",
            date=datetime.date(2030, 1, 1) + datetime.timedelta(number),
            image=images[number % len(images)],
        )
    index = menus_index(public_site)
    monday = this_monday()
    group_weeks = [
        (day, course, f"{course} {day}", ["organic"], ["milk"])
        for day in range(1, 6)
        for course in ("starter", "main", "side", "dairy", "dessert", "snack")
    ]
    # More dishes this week (a second kitchen) and more weeks around it.
    from pages.models import MenuGroup

    group = MenuGroup.objects.create(name="Cuisine annexe", slug="annexe")
    add_week(index, monday, group_weeks, group=group)
    for offset in range(2, 2 + count):
        add_week(index, monday + datetime.timedelta(weeks=offset), group_weeks)


@pytest.mark.parametrize("url", ["/", "/actualites/"])
def test_uncached_page_takes_at_most_ten_queries_whatever_the_content(
    client, public_site, no_public_cache, django_assert_max_num_queries, url
):
    before = count_queries(client, url, django_assert_max_num_queries)
    add_many(public_site, 12)
    after = count_queries(client, url, django_assert_max_num_queries)
    assert len(after) == len(before), "\n".join(sql[:160] for sql in after)


def test_uncached_menus_page_with_several_kitchens(
    client, public_site, no_public_cache, django_assert_max_num_queries
):
    before = count_queries(client, "/menus/", django_assert_max_num_queries)
    add_many(public_site, 3)
    after = count_queries(client, "/menus/", django_assert_max_num_queries)
    assert len(after) == len(before) + 1  # the schools of the kitchens


def test_site_chrome_costs_three_queries_after_an_invalidation(
    client, public_site, no_public_cache, django_assert_max_num_queries
):
    """Right after a publication the chrome is computed again; still within budget."""
    from pages import cache

    client.get("/actualites/")
    cache.invalidate()
    with django_assert_max_num_queries(MAX_QUERIES + 1):
        client.get("/actualites/")
