"""How many meals each kitchen cooks, per site and day, by diet and allergen.

A meal is a booked day of a unit that includes lunch (« Repas », « Journée »,
« Demi-journée avec repas ») — once per child, site and day, whatever the number of
such units booked. A day the family declared the child absent is not cooked: it is
counted apart (« absences déclarées »). Waiting-list and cancelled days are not meals.

Each child counts once in the diet columns: « PAI / panier repas » when the child has
a PAI (the family brings the meal or the kitchen follows the plan), else the diet of
the health record (« Standard » without one). The allergen columns count every child
served that day who is declared allergic to it (PAI included): a child allergic to
two allergens counts in both.

A figure is definitive once the family can no longer change it: both the booking and
the cancellation deadlines of the service have passed (without booking rules: once
the day has begun); before that it is provisional. Everything is read in a constant
number of queries (six), whatever the number of days, sites and children.
"""

import datetime
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from espace_prive.allergens import Allergen
from espace_prive.bookings import rules
from espace_prive.bookings.models import (
    Booking,
    BookingState,
    Closure,
    Period,
    PeriodKind,
    ServiceRules,
    UnitKind,
)
from espace_prive.catalogue.models import Site
from espace_prive.families.models import HealthRecord

from .models import KitchenSite

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MEAL_UNIT_KINDS = (UnitKind.MEAL, UnitKind.DAY, UnitKind.HALF_DAY_MEAL)
PAI = "pai"
STANDARD = "standard"
Diet = HealthRecord.Diet
# The diet columns, in the kitchen's order; every child is in exactly one.
CATEGORIES = [
    (STANDARD, "Standard"),
    (Diet.NO_PORK.value, "Sans porc"),
    (Diet.VEGETARIAN.value, "Végétarien"),
    (Diet.NO_MEAT.value, "Sans viande"),
    (Diet.GLUTEN_FREE.value, "Sans gluten"),
    (Diet.OTHER.value, "Autre régime"),
    (PAI, "PAI / panier repas"),
]
CATEGORY_KEYS = [key for key, _label in CATEGORIES]
ALLERGENS = list(Allergen.choices)
DEADLINE_LOOKBACK = datetime.timedelta(days=130)
WEEK_DAYS = 7


def category_of(*, has_pai, diet):
    """The diet column of a child (``has_pai`` and ``diet`` of the health record)."""
    if has_pai:
        return PAI
    return diet if diet in CATEGORY_KEYS else STANDARD


@dataclass
class MealCountRow:
    site: Site
    day: datetime.date
    kitchen: object = None
    counts: dict = field(default_factory=lambda: dict.fromkeys(CATEGORY_KEYS, 0))
    allergens: dict = field(default_factory=lambda: dict.fromkeys(Allergen.values, 0))
    absent: int = 0
    final_at: datetime.datetime | None = None
    is_final: bool = False

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def category_values(self):
        return [self.counts[key] for key in CATEGORY_KEYS]

    @property
    def allergen_values(self):
        return [self.allergens[code] for code in Allergen.values]

    @property
    def category_items(self):
        """``[(label, count)]`` of the diet columns with at least one meal."""
        return [(label, self.counts[key]) for key, label in CATEGORIES if self.counts[key]]

    @property
    def allergen_items(self):
        """``[(label, count)]`` of the allergens of at least one child served."""
        return [(label, self.allergens[code]) for code, label in ALLERGENS if self.allergens[code]]

    @property
    def status_label(self):
        if self.is_final:
            return "Définitif"
        if self.final_at is None:
            return "Provisoire"
        moment = timezone.localtime(self.final_at, PARIS)
        return f"Provisoire (définitif le {moment:%d/%m/%Y à %H:%M})"


@dataclass
class MealCounts:
    start: datetime.date
    end: datetime.date
    now: datetime.datetime
    rows: list

    categories = CATEGORIES
    allergens = ALLERGENS

    @property
    def days(self):
        return sorted({row.day for row in self.rows})

    def rows_of(self, kitchen):
        return [row for row in self.rows if row.kitchen == kitchen]

    def by_kitchen(self):
        """``[(kitchen or None, [rows])]``: kitchens by name, sites without one last."""
        groups = defaultdict(list)
        for row in self.rows:
            groups[row.kitchen].append(row)
        named = sorted((k for k in groups if k is not None), key=lambda k: k.name)
        return [(k, groups[k]) for k in named] + ([(None, groups[None])] if None in groups else [])

    def day_totals(self, rows=None):
        """``[(day, total meals, all final)]`` over ``rows`` (every row by default)."""
        totals = {}
        for row in self.rows if rows is None else rows:
            meals, final = totals.get(row.day, (0, True))
            totals[row.day] = (meals + row.total, final and row.is_final)
        return [(day, *totals[day]) for day in sorted(totals)]


def default_range(today=None):
    """Tomorrow and the week ahead (seven days from tomorrow)."""
    today = today or timezone.localdate()
    start = today + datetime.timedelta(days=1)
    return start, start + datetime.timedelta(days=WEEK_DAYS - 1)


class _Deadlines:
    """When the families' figures of a service's day are fixed (three queries)."""

    def __init__(self, service_ids, start, end):
        self.rules = {
            r.service_id: r
            for r in ServiceRules.objects.filter(service_id__in=service_ids).select_related(
                "booking_deadline", "cancel_deadline"
            )
        }
        self.periods = defaultdict(list)
        communes = {}
        for period in Period.objects.filter(
            service_id__in=service_ids, starts_on__lte=end, ends_on__gte=start
        ).select_related("school_year__commune"):
            self.periods[period.service_id].append(period)
            communes[period.school_year.commune_id] = period.school_year.commune
        closed = defaultdict(set)
        for closure in Closure.objects.filter(
            commune_id__in=communes,
            service__isnull=True,
            site__isnull=True,
            unit__isnull=True,
            first_day__lte=end,
            last_day__gte=start - DEADLINE_LOOKBACK,
        ):
            day = closure.first_day
            while day <= closure.last_day:
                closed[closure.commune_id].add(day)
                day += datetime.timedelta(days=1)
        self.working_days = {
            pk: rules.WorkingDays(commune.holiday_calendar, frozenset(closed[pk]))
            for pk, commune in communes.items()
        }
        self._cache = {}

    def _period(self, service_id, day):
        found = [p for p in self.periods[service_id] if p.contains(day)]
        # A holiday session's own period first (its deadline may count from its start).
        found.sort(key=lambda p: p.kind != PeriodKind.HOLIDAYS)
        return found[0] if found else None

    def final_at(self, service_id, day):
        key = (service_id, day)
        if key not in self._cache:
            self._cache[key] = self._compute(service_id, day)
        return self._cache[key]

    def _compute(self, service_id, day):
        service_rules = self.rules.get(service_id)
        if service_rules is None:
            return datetime.datetime.combine(day, datetime.time.min, tzinfo=PARIS)
        period = self._period(service_id, day)
        working = self.working_days.get(period.school_year.commune_id) if period else None
        return max(
            rules.deadline(rule, day, period=period, working_days=working)
            for rule in (service_rules.booking_deadline, service_rules.effective_cancel_deadline)
        )


def meal_counts(start=None, end=None, *, now=None, sites=None):
    """The ``MealCounts`` of every site with a meal booked from ``start`` to ``end``
    (default: tomorrow and the week ahead), or of ``sites`` only."""
    now = now or timezone.now()
    if start is None or end is None:
        start, end = default_range(timezone.localdate(now))
    bookings = Booking.objects.filter(
        state=BookingState.BOOKED, unit__kind__in=MEAL_UNIT_KINDS, day__gte=start, day__lte=end
    )
    if sites is not None:
        bookings = bookings.filter(site__in=sites)
    lines = bookings.values(
        "child_id",
        "site_id",
        "day",
        "unit__service_id",
        "absence",
        "child__health_record__has_pai",
        "child__health_record__diet",
        "child__health_record__food_allergens",
    )
    children = defaultdict(dict)  # (site, day) -> child -> [present?, line]
    services = defaultdict(set)
    for line in lines:
        key = (line["site_id"], line["day"])
        services[key].add(line["unit__service_id"])
        present = line["absence"] is None
        seen = children[key].get(line["child_id"])
        if seen is None or (present and not seen[0]):
            children[key][line["child_id"]] = (present, line)
    site_ids = {site_id for site_id, _day in children}
    site_of = {site.pk: site for site in Site.objects.filter(pk__in=site_ids)}
    kitchen_of = {
        link.site_id: link.kitchen
        for link in KitchenSite.objects.filter(site_id__in=site_ids).select_related("kitchen")
    }
    deadlines = _Deadlines({s for ids in services.values() for s in ids}, start, end)
    rows = []
    for (site_id, day), served in children.items():
        row = MealCountRow(site=site_of[site_id], day=day, kitchen=kitchen_of.get(site_id))
        for present, line in served.values():
            if not present:
                row.absent += 1
                continue
            category = category_of(
                has_pai=bool(line["child__health_record__has_pai"]),
                diet=line["child__health_record__diet"] or "",
            )
            row.counts[category] += 1
            for code in set(line["child__health_record__food_allergens"] or ()):
                if code in row.allergens:
                    row.allergens[code] += 1
        row.final_at = max(deadlines.final_at(s, day) for s in services[(site_id, day)])
        row.is_final = now >= row.final_at
        rows.append(row)
    rows.sort(key=lambda r: (r.day, r.kitchen.name if r.kitchen else "~", r.site.name))
    return MealCounts(start=start, end=end, now=now, rows=rows)
