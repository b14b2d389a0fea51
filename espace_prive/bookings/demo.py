"""Demo data of the bookings: Belval's calendar for the current school year (commune in
zone B, periods, activity units of the canteen, the after-school care and the leisure
centre, capacities, deadlines), enrolments of the demo children (accepted and
pending), this month's bookings made through the services, one full day with a
waiting list, and absences.

Idempotent: reference data by natural keys; bookings through the services, which leave
a day already booked unchanged; an absence is declared once per child and day.
"""

import datetime
import importlib

from django.core.files.base import ContentFile
from django.utils import timezone

from espace_prive.catalogue.selectors import school_year_bounds
from espace_prive.families.demo import demo_pdf

from . import school_holidays, services
from .models import (
    AbsenceDeclaration,
    AbsenceReason,
    ActivityUnit,
    Booking,
    BookingState,
    Closure,
    Commune,
    DeadlineRule,
    Enrolment,
    EnrolmentState,
    Period,
    SchoolHoliday,
    SchoolYear,
    ServiceRules,
    UnitCapacity,
    UnitDay,
)
from .selectors import AgendaState, agenda_for_child

TILLEULS = "École maternelle Les Tilleuls"
JULES_FERRY = "École élémentaire Jules-Ferry"
MOULIN = "Accueil de loisirs Le Moulin"
SCHOOL_DAYS = (0, 1, 3, 4)  # Monday, Tuesday, Thursday, Friday

# name: (kind, days, weekday, at, working days)
DEADLINES = {
    "Cantine : J-2 à 10 h, jours ouvrés": (DeadlineRule.Kind.DAYS_BEFORE, 2, None, (10, 0), True),
    "Périscolaire : la veille à 18 h": (DeadlineRule.Kind.DAYS_BEFORE, 1, None, (18, 0), False),
    "Loisirs : le jeudi midi pour la semaine suivante": (
        DeadlineRule.Kind.WEEKDAY_BEFORE_WEEK,
        0,
        3,
        (12, 0),
        False,
    ),
    "Vacances : 10 jours avant le début des vacances": (
        DeadlineRule.Kind.BEFORE_PERIOD,
        10,
        None,
        (0, 0),
        False,
    ),
}

# service slug: (booking deadline, cancellation deadline or None: the same)
RULES = {
    "restauration-scolaire": ("Cantine : J-2 à 10 h, jours ouvrés", None),
    "periscolaire": ("Périscolaire : la veille à 18 h", None),
    "accueil-de-loisirs": ("Loisirs : le jeudi midi pour la semaine suivante", None),
}

# (service slug, unit name, kind, hours, sites with their places, weekdays, periods)
UNITS = [
    (
        "restauration-scolaire",
        "Repas",
        ActivityUnit.Kind.MEAL,
        ((11, 30), (13, 30)),
        {TILLEULS: 60, JULES_FERRY: 120},
        SCHOOL_DAYS,
        {"in_school_weeks": True},
    ),
    (
        "periscolaire",
        "Accueil du matin",
        ActivityUnit.Kind.MORNING,
        ((7, 30), (8, 20)),
        {TILLEULS: 24, JULES_FERRY: 36},
        SCHOOL_DAYS,
        {"in_school_weeks": True},
    ),
    (
        "periscolaire",
        "Accueil du soir",
        ActivityUnit.Kind.EVENING,
        ((16, 30), (18, 30)),
        {TILLEULS: 30, JULES_FERRY: 48},
        SCHOOL_DAYS,
        {"in_school_weeks": True},
    ),
    (
        "accueil-de-loisirs",
        "Journée",
        ActivityUnit.Kind.DAY,
        ((7, 30), (18, 30)),
        {MOULIN: 48},
        (0, 1, 2, 3, 4),
        {"in_school_weeks": False, "on_wednesdays": True, "in_holidays": True},
    ),
]

# (child, service slug, site, state)
ENROLMENTS = [
    ("lea", "restauration-scolaire", JULES_FERRY, EnrolmentState.ACCEPTED),
    ("lea", "periscolaire", JULES_FERRY, EnrolmentState.ACCEPTED),
    ("lea", "accueil-de-loisirs", MOULIN, EnrolmentState.ACCEPTED),
    ("hugo", "restauration-scolaire", TILLEULS, EnrolmentState.ACCEPTED),
    ("hugo", "periscolaire", TILLEULS, EnrolmentState.PENDING),
    ("ines", "restauration-scolaire", JULES_FERRY, EnrolmentState.ACCEPTED),
    ("noah", "restauration-scolaire", TILLEULS, EnrolmentState.ACCEPTED),
    ("emma", "restauration-scolaire", TILLEULS, EnrolmentState.ACCEPTED),
    ("emma", "accueil-de-loisirs", MOULIN, EnrolmentState.PENDING),
]

# (child, unit name, weekdays) booked over the current month; Hugo first, so that on
# the full day he has the place and Emma and Noah wait.
PATTERNS = [
    ("hugo", "Repas", SCHOOL_DAYS),
    ("lea", "Repas", SCHOOL_DAYS),
    ("lea", "Accueil du soir", (0, 3)),
    ("lea", "Journée", (2,)),
    ("ines", "Repas", (0, 3)),
    ("emma", "Repas", SCHOOL_DAYS),
    ("noah", "Repas", (1, 4)),
]


def _time(hour_minute):
    return datetime.time(*hour_minute)


def _calendar(demo, today):
    """The commune, its school year and holidays, the deadlines, periods and units."""
    services_by_slug = demo.objects["services"]
    sites = demo.objects["sites"]
    commune, _ = Commune.objects.update_or_create(
        name="Belval",
        defaults={
            "insee_code": "45999",
            "school_zone": Commune.Zone.B,
            "holiday_calendar": Commune.Calendar.METROPOLE,
            "resident_postcodes": "45000",
            "resident_places": "Le Moulin\nLes Tilleuls",
        },
    )
    school_holidays.school_holidays_import(
        holidays=school_holidays.parse_file(school_holidays.DATASET_PATH)
    )
    first, last = school_year_bounds(today)
    year, _ = SchoolYear.objects.update_or_create(
        commune=commune,
        label=f"{first.year}-{last.year}",
        defaults={"starts_on": first, "ends_on": last},
    )
    rules = {}
    for name, (kind, days, weekday, at, working) in DEADLINES.items():
        rules[name], _ = DeadlineRule.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "days": days,
                "weekday": weekday,
                "at_time": _time(at),
                "working_days": working,
            },
        )
    for slug, (booking, cancel) in RULES.items():
        ServiceRules.objects.update_or_create(
            service=services_by_slug[slug],
            defaults={
                "booking_deadline": rules[booking],
                "cancel_deadline": rules[cancel] if cancel else None,
            },
        )
    for slug in ("restauration-scolaire", "periscolaire"):
        _period(services_by_slug[slug], year, Period.Kind.SCHOOL_WEEKS, "Semaines scolaires")
    leisure = services_by_slug["accueil-de-loisirs"]
    _period(leisure, year, Period.Kind.WEDNESDAYS, "Mercredis")
    holidays = SchoolHoliday.objects.filter(
        zone=commune.school_zone, first_day_off__lte=last, last_day_off__gte=first
    )
    for holiday in holidays:
        start, end = max(holiday.first_day_off, first), min(holiday.last_day_off, last)
        _period(leisure, year, Period.Kind.HOLIDAYS, holiday.name, start=start, end=end)
    units = {}
    for slug, name, kind, (start, end), places, weekdays, periods in UNITS:
        service = services_by_slug[slug]
        unit, _ = ActivityUnit.objects.update_or_create(
            service=service,
            name=name,
            defaults={
                "kind": kind,
                "starts_at": _time(start),
                "ends_at": _time(end),
                "price_unit": service.unit,
                "on_monday": 0 in weekdays,
                "on_tuesday": 1 in weekdays,
                "on_wednesday": 2 in weekdays,
                "on_thursday": 3 in weekdays,
                "on_friday": 4 in weekdays,
                "on_saturday": False,
                "on_sunday": False,
                "in_school_weeks": False,
                "on_wednesdays": False,
                "in_holidays": False,
                **periods,
                "is_active": True,
            },
        )
        unit.sites.set([sites[site] for site in places])
        for site, count in places.items():
            UnitCapacity.objects.update_or_create(
                unit=unit, site=sites[site], defaults={"places": count}
            )
        units[name] = unit
    return commune, year, units


def _period(service, year, kind, name, *, start=None, end=None):
    Period.objects.update_or_create(
        service=service,
        school_year=year,
        name=name,
        defaults={
            "kind": kind,
            "starts_on": start or year.starts_on,
            "ends_on": end or year.ends_on,
            "sold_as_session": False,
        },
    )


def _absence_reasons():
    """The town's reasons, as the data migration ships them (put back if deleted)."""
    migration = importlib.import_module(
        "espace_prive.bookings.migrations.0002_school_holidays_and_absence_reasons"
    )
    for order, (code, label, billable, waived, delay, details) in enumerate(migration.REASONS):
        AbsenceReason.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "billable": billable,
                "waived_with_certificate": waived,
                "certificate_delay_hours": delay,
                "requires_details": details,
                "sort_order": order,
            },
        )


def _enrolments(demo, year):
    children = demo.objects["children"]
    sites = demo.objects["sites"]
    staff = demo.objects["staff_user"]
    now = timezone.now()
    for child_key, slug, site, state in ENROLMENTS:
        child = children[child_key]
        service = demo.objects["services"][slug]
        active = Enrolment.objects.filter(
            child=child,
            service=service,
            school_year=year,
            state__in=[EnrolmentState.PENDING, EnrolmentState.ACCEPTED],
        )
        if active.exists():
            continue
        decided = state != EnrolmentState.PENDING
        Enrolment.objects.create(
            child=child,
            service=service,
            site=sites[site],
            school_year=year,
            state=state,
            requested_by=demo.objects["family_user"] if child_key in ("lea", "hugo") else None,
            requested_at=now - datetime.timedelta(days=40 if decided else 2),
            decided_by=staff if decided else None,
            decided_at=now - datetime.timedelta(days=35) if decided else None,
        )


def _month(today):
    first = today.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def _actor(demo, child_key):
    """The Martins book themselves; for the other families the service booked (their
    guardians have no login in the demo)."""
    return (
        demo.objects["family_user"] if child_key in ("lea", "hugo") else demo.objects["staff_user"]
    )


def _full_day(demo, units, start, end, today):
    """One place only, this month, in Les Tilleuls' canteen, so Emma and Noah wait behind
    Hugo: the day chosen on the first run (kept on the next ones), else the first school
    day three days ahead at least, else the month's first school day."""
    unit, site = units["Repas"], demo.objects["sites"][TILLEULS]
    chosen = UnitDay.objects.filter(
        unit=unit, site=site, day__gte=start, day__lte=end, places=1
    ).first()
    if chosen is not None:
        return chosen.day
    hugo = demo.objects["children"]["hugo"]
    days = [
        entry.day
        for entry in agenda_for_child(hugo, start, end, by_staff=True)
        if entry.unit.pk == unit.pk and entry.state != AgendaState.CLOSED
    ]
    if not days:
        return None
    ahead = [day for day in days if day >= today + datetime.timedelta(days=3)]
    day = (ahead or days)[0]
    UnitDay.objects.update_or_create(unit=unit, site=site, day=day, defaults={"places": 1})
    return day


def _bookings(demo, units, today):
    """This month's bookings, made as if a week before the month began (inside the
    deadlines), through the same services as the portal."""
    start, end = _month(today)
    booked_at = timezone.make_aware(
        datetime.datetime.combine(start - datetime.timedelta(days=7), datetime.time(9, 0))
    )
    full_day = _full_day(demo, units, start, end, today)
    children = demo.objects["children"]
    for child_key, unit_name, weekdays in PATTERNS:
        services.booking_pattern_confirm(
            actor=_actor(demo, child_key),
            child=children[child_key],
            units=[units[unit_name]],
            weekdays=weekdays,
            start=start,
            end=end,
            now=booked_at,
        )
    if full_day is not None:
        services.booking_book(
            actor=_actor(demo, "noah"),
            child=children["noah"],
            unit=units["Repas"],
            day=full_day,
            now=booked_at,
        )
    return start, end


def _absences(demo, start, end):
    """Léa ill one day (with a certificate), Inès at a medical appointment one day."""
    children = demo.objects["children"]
    for child_key, reason, certificate in (
        ("lea", "maladie", True),
        ("ines", "rendez-vous-medical", False),
    ):
        child = children[child_key]
        booked = Booking.objects.filter(
            child=child,
            day__gte=start,
            day__lte=end,
            state=BookingState.BOOKED,
            unit__name="Repas",
        ).order_by("day")
        if AbsenceDeclaration.objects.filter(
            child=child, first_day__gte=start, last_day__lte=end
        ).exists():
            continue
        booking = booked.filter(absence__isnull=True).first()
        if booking is None:
            continue
        # Declared on the morning of the day: past the cancellation deadline.
        declared_at = timezone.make_aware(datetime.datetime.combine(booking.day, datetime.time(8)))
        file = None
        if certificate:
            file = ContentFile(
                demo_pdf("Certificat medical", ["Document de demonstration."]),
                name="certificat.pdf",
            )
        services.absence_declare(
            actor=_actor(demo, child_key),
            child=child,
            reason=AbsenceReason.objects.get(code=reason),
            first_day=booking.day,
            last_day=booking.day,
            units=[booking.unit],
            certificate=file,
            now=declared_at,
        )


def _closure(commune, demo, units, start, end):
    """A Wednesday of the month closed at the leisure centre (staff training)."""
    day = end
    while day.weekday() != 2:
        day -= datetime.timedelta(days=1)
    Closure.objects.update_or_create(
        commune=commune,
        service=demo.objects["services"]["accueil-de-loisirs"],
        unit=units["Journée"],
        first_day=day,
        last_day=day,
        defaults={"reason": "Formation des animateurs"},
    )


def seed(demo):
    today = timezone.localdate()
    commune, year, units = _calendar(demo, today)
    _absence_reasons()
    _enrolments(demo, year)
    start, end = _month(today)
    _closure(commune, demo, units, start, end)
    _bookings(demo, units, today)
    _absences(demo, start, end)
    demo.objects["bookings_year"] = year
