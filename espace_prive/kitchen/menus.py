"""The canteen menus of a week matched to each child, without the private area
importing ``pages``.

The public site registers a provider (``pages.apps``): ``provider(*, monday)`` returns
the published menus of that week as ``[KitchenMenu]`` (one per kitchen: the schools it
serves, or every school when the town has one menu). For each child enrolled in the
canteen, the menu of its canteen's kitchen is kept and each dish holding one of the
allergens declared in the child's health record is flagged, in words
(« Contient : arachides — Léa a un PAI »). With no provider, there is no menu.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from espace_prive.allergens import Allergen, ordered
from espace_prive.bookings.models import Enrolment, EnrolmentState
from espace_prive.catalogue.models import ServiceKind
from espace_prive.families.models import HealthRecord

_providers = []
_ISO_WEEK = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


class InvalidWeek(ValueError):
    """Not a week we can show (French message)."""


def register_menu_provider(provider):
    """``provider(*, monday)`` → ``[KitchenMenu]`` of the published menus of that week."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


@dataclass
class Dish:
    name: str
    allergens: list = field(default_factory=list)  # codes of ``Allergen``
    labels: list = field(default_factory=list)  # « Bio », « Fait maison »…


@dataclass
class MenuDay:
    date: datetime.date
    courses: list  # [(course label, [Dish])]


@dataclass
class KitchenMenu:
    name: str
    site_ids: frozenset | None  # None: every school
    days: list  # [MenuDay]
    note: str = ""

    def serves(self, site_id):
        return self.site_ids is None or site_id in self.site_ids


@dataclass
class FlaggedDish:
    dish: Dish
    warning: str = ""  # « Contient : arachides — Léa a un PAI », or ""

    @property
    def allergen_labels(self):
        return [Allergen(code).label for code in ordered(self.dish.allergens)]


@dataclass
class ChildMenu:
    child: object
    site: object
    menu: KitchenMenu | None
    days: list  # [(MenuDay, [(course label, [FlaggedDish])])]
    allergen_labels: list
    has_pai: bool

    @property
    def warnings(self):
        return sum(
            1 for _day, courses in self.days for _c, dishes in courses for d in dishes if d.warning
        )


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def parse_week(text, *, today=None):
    """The Monday of ``2026-W49`` (this week when empty); ``InvalidWeek`` otherwise, or
    for a week more than two years away."""
    today = today or timezone.localdate()
    if not text:
        return monday_of(today)
    match = _ISO_WEEK.match(text)
    if not match:
        raise InvalidWeek(
            f"« {str(text)[:20]} » n'est pas une semaine valide : utilisez le format "
            "année-W-numéro, par exemple 2026-W49."
        )
    try:
        monday = datetime.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise InvalidWeek("Cette année n'a pas de semaine de ce numéro.") from None
    if abs((monday - today).days) > 730:
        raise InvalidWeek("Choisissez une semaine à moins de deux ans d'aujourd'hui.")
    return monday


def week_code(monday):
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def menus_of_week(monday):
    menus = []
    for provider in _providers:
        menus.extend(provider(monday=monday))
    return menus


def warning_for(child, matched, *, has_pai):
    """« Contient : arachides, lait — Léa a un PAI » (lower-case allergen names)."""
    text = "Contient : " + ", ".join(Allergen(code).label.lower() for code in matched)
    if has_pai:
        text += f" — {child.first_name} a un PAI"
    return text


def flag_menu(menu, child, codes, *, has_pai):
    days = []
    for menu_day in menu.days:
        courses = []
        for label, dishes in menu_day.courses:
            flagged = []
            for dish in dishes:
                matched = [code for code in ordered(dish.allergens) if code in codes]
                warning = warning_for(child, matched, has_pai=has_pai) if matched else ""
                flagged.append(FlaggedDish(dish, warning))
            courses.append((label, flagged))
        days.append((menu_day, courses))
    return days


def canteen_enrolments(children, monday):
    """``{child_id: enrolment}``: accepted canteen enrolments of a school year holding
    the week (one query)."""
    sunday = monday + datetime.timedelta(days=6)
    enrolments = (
        Enrolment.objects.filter(
            child__in=children,
            state=EnrolmentState.ACCEPTED,
            service__kind=ServiceKind.CANTEEN,
            school_year__starts_on__lte=sunday,
            school_year__ends_on__gte=monday,
        )
        .select_related("site")
        .order_by("school_year__starts_on", "pk")
    )
    return {enrolment.child_id: enrolment for enrolment in enrolments}


def child_menus(children, monday):
    """``[ChildMenu]`` of the week for those of ``children`` enrolled in the canteen (a
    constant number of queries, plus the provider's)."""
    children = list(children)
    enrolments = canteen_enrolments(children, monday)
    if not enrolments:
        return []
    records = {
        record.child_id: record
        for record in HealthRecord.objects.filter(child_id__in=list(enrolments))
    }
    menus = menus_of_week(monday)
    result = []
    for child in children:
        enrolment = enrolments.get(child.pk)
        if enrolment is None:
            continue
        record = records.get(child.pk)
        codes = set(record.allergen_codes) if record else set()
        has_pai = bool(record and record.has_pai)
        own = [m for m in menus if m.site_ids is not None and enrolment.site_id in m.site_ids]
        menu = (own or [m for m in menus if m.site_ids is None] or [None])[0]
        days = flag_menu(menu, child, codes, has_pai=has_pai) if menu else []
        labels = record.allergen_labels if record else []
        result.append(ChildMenu(child, enrolment.site, menu, days, labels, has_pai))
    return result
