"""A hand-computed week of meals (Monday 16 to Friday 20 November 2026).

Sites: Jules-Ferry and Pasteur (kitchen « Cuisine centrale »), Curie (no kitchen).
Children: c1 standard (no health record), c2 sans porc, c3 végétarien + œufs, c4 PAI
(sans porc, arachides + fruits à coque), c5 standard + lait, c6 sans viande, c7 and
c8 standard (only waiting or cancelled).

- Mon 16, Jules-Ferry: c1 c2 c3 c4 booked, c7 waiting, c8 cancelled
  → 4 meals: standard 1, sans porc 1, végétarien 1, PAI 1; œufs 1, arachides 1, fruits à coque 1
- Mon 16, Pasteur: c5 c6 → 2: standard 1, sans viande 1; lait 1
- Tue 17, Jules-Ferry: c1..c5, c3 declared absent → 4: standard 2, sans porc 1, PAI 1,
  1 absence; arachides 1, fruits à coque 1, lait 1
- Wed 18, Jules-Ferry: ALSH « Journée » c1 c2, and c1's lunch too (one meal), c6's
  evening care (no meal) → 2: standard 1, sans porc 1
- Thu 19, Curie: c1..c6 → 6: standard 2, sans porc 1, végétarien 1, sans viande 1, PAI 1;
  œufs 1, arachides 1, fruits à coque 1, lait 1
- Fri 20: nothing. Week: 18 meals.

Deadlines: canteen J-2 at 10:00; ALSH J-7 at 12:00. On Sunday 15 at noon, Monday and
Tuesday are definitive, Wednesday (canteen deadline Monday 10:00) and Thursday are not.
"""

import datetime
import zoneinfo

from django.utils import timezone

from espace_prive.bookings.models import (
    Absence,
    AbsenceDeclaration,
    AbsenceReason,
    ActivityUnit,
    Booking,
    Enrolment,
    Period,
    ServiceRules,
)
from espace_prive.catalogue.models import Service
from espace_prive.kitchen.models import Kitchen, KitchenSite
from tests.bookings.factories import make_calendar, make_deadline, make_service
from tests.factories import make_child, make_family, make_health_record, make_site

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MONDAY = datetime.date(2026, 11, 16)
SUNDAY_NOON = datetime.datetime(2026, 11, 15, 12, 0, tzinfo=PARIS)


def day(offset):
    return MONDAY + datetime.timedelta(days=offset)


def _unit(service, name, kind, sites):
    unit = ActivityUnit.objects.create(
        service=service,
        name=name,
        kind=kind,
        starts_at=datetime.time(8, 0),
        ends_at=datetime.time(18, 0),
        price_unit=service.unit,
        on_wednesday=True,
    )
    unit.sites.add(*sites)
    return unit


def make_week():
    canteen = make_calendar(deadline=make_deadline(days=2, at_time=datetime.time(10, 0)))
    year = canteen["year"]
    ferry, pasteur, curie = (
        canteen["site"],
        make_site(name="École Pasteur"),
        make_site(name="École Curie"),
    )
    ferry.name = "École Jules-Ferry"
    ferry.save(update_fields=["name"])
    meal = canteen["unit"]
    meal.sites.add(pasteur, curie)
    alsh = make_service(kind=Service.Kind.LEISURE_CENTRE, unit=Service.Unit.DAY)
    Period.objects.create(
        service=alsh,
        school_year=year,
        kind=Period.Kind.WEDNESDAYS,
        name="Mercredis",
        starts_on=year.starts_on,
        ends_on=year.ends_on,
    )
    ServiceRules.objects.create(
        service=alsh, booking_deadline=make_deadline(days=7, at_time=datetime.time(12, 0))
    )
    day_unit = _unit(alsh, "Journée", ActivityUnit.Kind.DAY, [ferry])
    evening = _unit(alsh, "Accueil du soir", ActivityUnit.Kind.EVENING, [ferry])
    kitchen = Kitchen.objects.create(name="Cuisine centrale", email="cuisine@example.test")
    KitchenSite.objects.create(kitchen=kitchen, site=ferry)
    KitchenSite.objects.create(kitchen=kitchen, site=pasteur)

    family = make_family()
    health = {
        2: {"diet": "sans_porc"},
        3: {"diet": "vegetarien", "food_allergens": ["eggs"]},
        4: {"diet": "sans_porc", "has_pai": True, "food_allergens": ["nuts", "peanuts"]},
        5: {"food_allergens": ["milk"]},
        6: {"diet": "sans_viande"},
    }
    children = {}
    for n in range(1, 9):
        child = make_child(family=family, first_name=f"Enfant{n}")
        if n in health:
            make_health_record(child=child, **health[n])
        children[n] = child
    enrolments = {}

    def book(n, unit, site, when, state=Booking.State.BOOKED):
        key = (n, unit.service_id)
        if key not in enrolments:
            enrolments[key] = Enrolment.objects.create(
                child=children[n],
                service=unit.service,
                site=site,
                school_year=year,
                state=Enrolment.State.ACCEPTED,
                decided_at=timezone.now(),
            )
        cancelled = timezone.now() if state == Booking.State.CANCELLED else None
        return Booking.objects.create(
            child=children[n],
            enrolment=enrolments[key],
            unit=unit,
            site=site,
            day=when,
            state=state,
            cancelled_at=cancelled,
        )

    for n in (1, 2, 3, 4):
        book(n, meal, ferry, day(0))
    book(7, meal, ferry, day(0), Booking.State.WAITING)
    book(8, meal, ferry, day(0), Booking.State.CANCELLED)
    for n in (5, 6):
        book(n, meal, pasteur, day(0))
    tuesday = {n: book(n, meal, ferry, day(1)) for n in (1, 2, 3, 4, 5)}
    reason = AbsenceReason.objects.get_or_create(code="maladie", defaults={"label": "Maladie"})[0]
    declaration = AbsenceDeclaration.objects.create(
        child=children[3], reason=reason, first_day=day(1), last_day=day(1)
    )
    Absence.objects.create(declaration=declaration, booking=tuesday[3])
    book(1, day_unit, ferry, day(2))
    book(2, day_unit, ferry, day(2))
    book(1, meal, ferry, day(2))
    book(6, evening, ferry, day(2))
    for n in range(1, 7):
        book(n, meal, curie, day(3))
    return {
        "kitchen": kitchen,
        "sites": {"ferry": ferry, "pasteur": pasteur, "curie": curie},
        "children": children,
        "meal": meal,
        "family": family,
        "year": year,
        "book": book,
    }
