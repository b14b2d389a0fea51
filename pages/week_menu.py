"""A week of canteen menus laid out for display: days, then courses in serving order.

A leaf module: it reads the dishes it is given and imports no model, so that the page
models, the content API and the templates share it without an import cycle.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .enums import COURSE_ORDER, Course
from .weeks import format_day, iso_week_code, week_label


@dataclass
class DayMenu:
    date: datetime.date
    is_today: bool
    courses: list  # [(course label, [dishes])]

    @property
    def label(self):
        return format_day(self.date, year=False)


@dataclass
class WeekMenu:
    page: object  # a MenuWeekPage
    days: list

    @property
    def group(self):
        return self.page.menu_group


@dataclass
class Week:
    monday: datetime.date
    menus: list  # [WeekMenu], one per kitchen

    @property
    def code(self):
        return iso_week_code(self.monday)

    @property
    def label(self):
        return week_label(self.monday)

    @property
    def previous_code(self):
        return iso_week_code(self.monday - datetime.timedelta(days=7))

    @property
    def next_code(self):
        return iso_week_code(self.monday + datetime.timedelta(days=7))

    @property
    def is_current(self):
        return self.monday <= timezone.localdate() < self.monday + datetime.timedelta(days=7)


def build_week_menu(page, *, today=None, dishes=None):
    """Days of ``page`` that have dishes, courses in serving order."""
    today = today or timezone.localdate()
    dishes = list(page.dishes.all()) if dishes is None else dishes
    labels = dict(Course.choices)
    days = []
    for day_number in range(1, 8):
        of_day = [dish for dish in dishes if dish.day == day_number]
        if not of_day:
            continue
        of_day.sort(key=lambda dish: (COURSE_ORDER.get(dish.course, 99), dish.sort_order or 0))
        courses = []
        for dish in of_day:
            if courses and courses[-1][0] == labels.get(dish.course):
                courses[-1][1].append(dish)
            else:
                courses.append((labels.get(dish.course, dish.course), [dish]))
        date = page.week_start + datetime.timedelta(days=day_number - 1)
        days.append(DayMenu(date=date, is_today=date == today, courses=courses))
    return WeekMenu(page=page, days=days)
