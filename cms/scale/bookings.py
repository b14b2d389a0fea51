"""Enrolments and a school year of bookings.

Pupils enrol in the canteen (four in five), the after-school care (one in three) and
children of 3 to 11 in the leisure centre's Wednesdays (one in seven); a few
enrolments are still pending or refused. The days a unit opens at a site come from
the same ``Planning`` the portal uses (periods, school holidays, public holidays,
closures), and each accepted enrolment books a weekly pattern over the whole year,
made before the rentrée: a booking beyond the places of a unit, site and day waits on
the list, as the service would have put it. Capacities of the town's sites follow
their pupils (the leisure centres are tighter). Rows are written in batches, never
held all at once (a 10,000-family town books about a million days).
"""

import datetime
import math
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model

from espace_prive.accounts.demo import STAFF_EMAIL
from espace_prive.bookings.models import (
    ActivityUnit,
    Booking,
    BookingState,
    Enrolment,
    EnrolmentState,
    UnitCapacity,
)
from espace_prive.bookings.planning import Planning
from espace_prive.catalogue.models import Service

from . import BATCH, bulk, timed

SCHOOL_DAYS = (0, 1, 3, 4)
CANTEEN, AFTER_SCHOOL, LEISURE = "restauration-scolaire", "periscolaire", "accueil-de-loisirs"


def _age(child, day):
    return child.age_on(day)


def _decision(rng):
    draw = rng.random()
    if draw < 0.03:
        return EnrolmentState.PENDING
    if draw < 0.04:
        return EnrolmentState.REFUSED
    return EnrolmentState.ACCEPTED


def _enrolments(town, services, staff):
    users = town.objects["user_by_family"]
    centres = town.objects["leisure_centres"]
    year = town.year
    rows = []
    for child in town.objects["children"]:
        rng = town.rng("enrolments", child.public_id)
        wanted = []
        if child.school_id is not None:
            if rng.random() < 0.8:
                wanted.append((services[CANTEEN], child.school_id))
            if rng.random() < 0.33:
                wanted.append((services[AFTER_SCHOOL], child.school_id))
        if 3 <= _age(child, town.start) <= 11 and rng.random() < 0.15:
            wanted.append((services[LEISURE], centres[rng.randrange(len(centres))].pk))
        for service, site_id in wanted:
            state = _decision(rng)
            requested = town.at(town.start - datetime.timedelta(days=rng.randrange(20, 90)))
            decided = state != EnrolmentState.PENDING
            rows.append(
                Enrolment(
                    public_id=town.uuid(rng),
                    child=child,
                    service=service,
                    site_id=site_id,
                    school_year=year,
                    state=state,
                    requested_by=users.get(child.family_id),
                    requested_at=requested,
                    decided_by=staff if decided else None,
                    decided_at=requested + datetime.timedelta(days=3) if decided else None,
                    reason="Dossier incomplet : pièces manquantes."
                    if state == EnrolmentState.REFUSED
                    else "",
                )
            )
    return bulk(Enrolment, rows)


def _open_days(town, enrolments, units_by_service):
    """``{(unit pk, site pk): [days]}`` from the portal's own calendar rules."""
    sample = {}
    for enrolment in enrolments:
        if enrolment.state == EnrolmentState.ACCEPTED:
            sample.setdefault((enrolment.service_id, enrolment.site_id), enrolment)
    year = town.year
    days = [
        year.starts_on + datetime.timedelta(days=n)
        for n in range((year.ends_on - year.starts_on).days + 1)
    ]
    open_days = {}
    for (service_id, site_id), enrolment in sample.items():
        planning = Planning(
            child=enrolment.child,
            start=year.starts_on,
            end=year.ends_on,
            services=[enrolment.service],
            live=False,
        )
        loaded = next(e for e in planning.enrolments if e.pk == enrolment.pk)
        for unit in units_by_service[service_id]:
            open_days[unit.pk, site_id] = [
                day for day in days if planning.status(unit, day, loaded).open
            ]
    return open_days


def _patterns(rng, service_slug, units):
    """``[(unit, weekdays)]`` a family books for one enrolment."""
    by_name = {unit.name: unit for unit in units}
    if service_slug == CANTEEN:
        draw = rng.random()
        days = (
            SCHOOL_DAYS if draw < 0.6 else tuple(sorted(rng.sample(SCHOOL_DAYS, 2 + (draw < 0.75))))
        )
        return [(by_name["Repas"], days)]
    if service_slug == AFTER_SCHOOL:
        chosen = []
        if rng.random() < 0.4:
            chosen.append((by_name["Accueil du matin"], tuple(sorted(rng.sample(SCHOOL_DAYS, 2)))))
        evening = SCHOOL_DAYS if rng.random() < 0.5 else tuple(sorted(rng.sample(SCHOOL_DAYS, 2)))
        chosen.append((by_name["Accueil du soir"], evening))
        return chosen
    return [(by_name["Journée"], (2,))] if rng.random() < 0.75 else []


def _capacities(town, enrolments, units_by_service, slugs):
    pupils = Counter(
        (e.service_id, e.site_id) for e in enrolments if e.state == EnrolmentState.ACCEPTED
    )
    rows = []
    for (service_id, site_id), count in pupils.items():
        for unit in units_by_service[service_id]:
            share = 0.6 if slugs[service_id] == LEISURE else 1.0
            rows.append(
                UnitCapacity(unit=unit, site_id=site_id, places=max(8, math.ceil(count * share)))
            )
    return {(c.unit_id, c.site_id): c.places for c in bulk(UnitCapacity, rows)}


def _capacities_before_rentree(town, units_by_service, slugs):
    """Places for nine pupils in ten of each school (and 60 a leisure centre): the rush
    fills some days, whose last families wait on the list."""
    pupils = Counter(c.school_id for c in town.objects["children"] if c.school_id)
    rows = []
    for service_id, units in units_by_service.items():
        if slugs[service_id] == LEISURE:
            sites = {centre.pk: 60 for centre in town.objects["leisure_centres"]}
        else:
            sites = {school: math.ceil(count * 0.9) for school, count in pupils.items()}
        for unit in units:
            rows += [UnitCapacity(unit=unit, site_id=s, places=n) for s, n in sites.items()]
    bulk(UnitCapacity, rows)


def generate(town):
    staff = get_user_model().objects.get(email=STAFF_EMAIL)
    users = town.objects["user_by_family"]
    services = {
        s.slug: s for s in Service.objects.filter(slug__in=[CANTEEN, AFTER_SCHOOL, LEISURE])
    }
    slugs = {s.pk: s.slug for s in services.values()}
    units_by_service = defaultdict(list)
    for unit in ActivityUnit.objects.filter(service__in=services.values(), is_active=True):
        units_by_service[unit.service_id].append(unit)
    if town.before_rentree:
        with timed(town, "bookings: capacities (before the rentrée: no enrolment yet)"):
            _capacities_before_rentree(town, units_by_service, slugs)
        return
    with timed(town, "bookings: enrolments"):
        enrolments = _enrolments(town, services, staff)
        places = _capacities(town, enrolments, units_by_service, slugs)
        open_days = _open_days(town, enrolments, units_by_service)
    with timed(town, "bookings: a school year of weekly patterns"):
        families = {c.pk: c.family_id for c in town.objects["children"]}
        taken = Counter()
        batch, total = [], 0
        queued = town.at(town.start - datetime.timedelta(days=7))
        for enrolment in enrolments:
            if enrolment.state != EnrolmentState.ACCEPTED:
                continue
            rng = town.rng("bookings", enrolment.public_id)
            user = users.get(families[enrolment.child_id])
            units = units_by_service[enrolment.service_id]
            for unit, weekdays in _patterns(rng, slugs[enrolment.service_id], units):
                key = unit.pk, enrolment.site_id
                for day in open_days.get(key, ()):
                    if day.weekday() not in weekdays:
                        continue
                    slot = (unit.pk, enrolment.site_id, day)
                    full = taken[slot] >= places[key]
                    cancelled = not full and rng.random() < 0.02
                    if not full and not cancelled:
                        taken[slot] += 1
                    batch.append(
                        Booking(
                            public_id=town.uuid(rng),
                            child_id=enrolment.child_id,
                            enrolment_id=enrolment.pk,
                            unit_id=unit.pk,
                            site_id=enrolment.site_id,
                            day=day,
                            state=BookingState.WAITING
                            if full
                            else BookingState.CANCELLED
                            if cancelled
                            else BookingState.BOOKED,
                            queued_at=queued,
                            created_by=user or staff,
                            created_by_staff=user is None,
                            cancelled_at=queued + datetime.timedelta(days=1) if cancelled else None,
                            cancelled_by=user or staff if cancelled else None,
                            cancelled_by_staff=cancelled and user is None,
                        )
                    )
                    if len(batch) >= BATCH * 4:
                        total += len(bulk(Booking, batch))
                        batch = []
        total += len(bulk(Booking, batch))
    town.objects["enrolments"] = enrolments
    town.objects["bookings_count"] = total
    town.log(f"  {len(enrolments)} enrolments, {total} bookings")
