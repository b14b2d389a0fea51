"""Reads of the attendance: the sites an agent may see, the day's units of a site, the
daily list (sheet) of a register, and the marks billing reads.

Site scoping lives here, in the queries: an agent sees the sites they are assigned to
(``SiteAssignment``) unless they hold ``attendance.all_sites``; any other site is a
404, never an empty page.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404

from espace_prive.bookings import selectors as booking_selectors
from espace_prive.bookings.models import WEEKDAY_FIELDS, ActivityUnit, Enrolment, EnrolmentState
from espace_prive.catalogue.models import Site
from espace_prive.families.models import Child, Guardian, HealthRecord
from espace_prive.families.selectors import PRIMARY_FIRST

from .models import Mark, MarkState, Register
from .permissions import ALL_SITES


def sites_for_staff(user):
    """The active sites ``user`` may see the lists and registers of."""
    sites = Site.objects.filter(is_active=True)
    if user.has_perm(ALL_SITES):
        return sites
    return sites.filter(staff_assignments__user=user)


def children_of_staff_sites(user):
    """For the family file's admin pages: ``None`` (every child) for staff of all sites,
    else the pks of the children enrolled at ``user``'s sites."""
    if user.has_perm(ALL_SITES):
        return None
    return Child.objects.filter(enrolments__site__in=sites_for_staff(user)).values("pk")


def may_work_at(user, site):
    return user.has_perm(ALL_SITES) or site.staff_assignments.filter(user=user).exists()


def get_site_for_staff(user, public_id):
    """The site ``public_id`` if ``user`` may see it, else 404 (whether it exists or not)."""
    try:
        return sites_for_staff(user).get(public_id=public_id)
    except (Site.DoesNotExist, ValidationError) as error:
        raise Http404("Site introuvable.") from error


def units_for_site(site, day=None):
    """The active units offered at ``site`` (if ``day`` is given: those open on its
    weekday, and those whose register of that day was taken all the same — a Saturday
    outing, say — so that no register is out of sight)."""
    units = ActivityUnit.objects.filter(sites=site, is_active=True).select_related("service")
    if day is not None:
        taken = Register.objects.filter(site=site, day=day).values("unit_id")
        units = units.filter(Q(**{WEEKDAY_FIELDS[day.weekday()]: True}) | Q(pk__in=taken))
    return units.order_by("service__name", "sort_order", "starts_at")


def get_unit_for_site(site, public_id):
    try:
        return units_for_site(site).get(public_id=public_id)
    except (ActivityUnit.DoesNotExist, ValidationError) as error:
        raise Http404("Unité introuvable à ce site.") from error


def register_for(site, unit, day):
    return Register.objects.filter(site=site, unit=unit, day=day).first()


def accepted_enrolment(child, unit, site, day):
    """The child's accepted enrolment to the unit's service at ``site`` for ``day``."""
    return Enrolment.objects.filter(
        child=child,
        service_id=unit.service_id,
        site=site,
        state=EnrolmentState.ACCEPTED,
        school_year__starts_on__lte=day,
        school_year__ends_on__gte=day,
    ).first()


@dataclass
class SheetRow:
    """One child of a daily list: booked (``booking``) or added on the spot (``mark``
    only); ``health`` is None unless the reader may see health data."""

    child: Child
    booking: object = None
    mark: Mark | None = None
    health: HealthRecord | None = None
    pickups: list = field(default_factory=list)
    photo_data: str = ""  # the PDF's inlined photo

    @property
    def state(self):
        return self.mark.state if self.mark else ""

    @property
    def declared_absence(self):
        absence = getattr(self.booking, "absence", None) if self.booking else None
        return absence.declaration.reason_label if absence else ""

    @property
    def has_health_alert(self):
        health = self.health
        return bool(health and (health.has_alert or health.diet))


@dataclass
class Sheet:
    site: Site
    unit: ActivityUnit
    day: datetime.date
    register: Register | None
    rows: list
    waiting: list
    candidates: list
    with_health: bool

    @property
    def is_closed(self):
        return bool(self.register and self.register.is_closed)

    def counts(self):
        states = [row.state for row in self.rows]
        return {
            "expected": sum(1 for row in self.rows if row.booking),
            "present": states.count(MarkState.PRESENT),
            "gone": states.count(MarkState.GONE),
            "absent": states.count(MarkState.ABSENT),
            "unmarked": states.count(""),
        }

    def health_children(self):
        """The children whose health alerts the sheet shows (each view is logged)."""
        return [row.child for row in self.rows if row.has_health_alert]


CHILD_RELATED = ("child__family", "child__school")


def _pickups(child):
    guardians = [("responsable", g) for g in child.family.guardians.all()]
    return guardians + [("personne", p) for p in child.pickup_persons.all()]


def register_sheet(site, unit, day, *, with_health=False):
    """The daily list of ``unit`` at ``site`` on ``day``: booked children (with their
    declared absences), children added on the spot, the waiting list and the enrolled
    children who may be added. The same number of queries for 1 or 150 children."""
    booked, waiting = booking_selectors.day_list(unit, site, day)
    register = (
        Register.objects.filter(site=site, unit=unit, day=day).select_related("closed_by").first()
    )
    marks = {}
    if register is not None:
        marks = {
            mark.child_id: mark
            for mark in register.marks.select_related(
                *CHILD_RELATED, "pickup_person", "pickup_guardian"
            )
        }
    rows = [SheetRow(child=b.child, booking=b, mark=marks.pop(b.child_id, None)) for b in booked]
    rows += [SheetRow(child=m.child, mark=m) for m in marks.values()]
    rows.sort(key=lambda row: (row.child.last_name.lower(), row.child.first_name.lower()))
    children = [row.child for row in rows]
    prefetch_related_objects(children, "school", "pickup_persons")
    prefetch_related_objects(
        [child.family for child in children],
        Prefetch("guardians", queryset=Guardian.objects.order_by(PRIMARY_FIRST)),
    )
    if with_health:
        prefetch_related_objects(children, "health_record")
    for row in rows:
        row.pickups = _pickups(row.child)
        if with_health:
            row.health = getattr(row.child, "health_record", None)
    seen = {child.pk for child in children}
    candidates = [
        enrolment.child
        for enrolment in Enrolment.objects.filter(
            service_id=unit.service_id,
            site=site,
            state=EnrolmentState.ACCEPTED,
            school_year__starts_on__lte=day,
            school_year__ends_on__gte=day,
        )
        .select_related("child")
        .order_by("child__last_name", "child__first_name")
        if enrolment.child_id not in seen
    ]
    return Sheet(
        site=site,
        unit=unit,
        day=day,
        register=register,
        rows=rows,
        waiting=waiting,
        candidates=candidates,
        with_health=with_health,
    )


def registers_of_day(site, day):
    """The registers already opened at ``site`` on ``day``, by unit id."""
    return {r.unit_id: r for r in Register.objects.filter(site=site, day=day)}


def marks_for_month(*, year, month, service=None, site=None, services=None, families=None):
    """The attendance taken over a month (for billing: where a register exists, what
    happened is what is billed). Marks with their register, unit, child (and family) and
    booking; ``unbooked`` marks are the « présences sans réservation ». ``services`` /
    ``families``: restrict to these (ids or objects). One query."""
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    marks = Mark.objects.filter(register__day__gte=first, register__day__lt=following)
    if service is not None:
        marks = marks.filter(register__unit__service=service)
    if services is not None:
        marks = marks.filter(register__unit__service__in=services)
    if site is not None:
        marks = marks.filter(register__site=site)
    if families is not None:
        marks = marks.filter(child__family__in=families)
    return marks.select_related(
        "register__unit__service", "register__site", "child__family", "booking"
    ).order_by("register__day", "register__unit__sort_order", "child_id")


def registers_for_month(*, year, month, services=None):
    """Every register of a month (open or closed), with its site and unit. One query."""
    first = datetime.date(year, month, 1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    registers = Register.objects.filter(day__gte=first, day__lt=following)
    if services is not None:
        registers = registers.filter(unit__service__in=services)
    return registers.select_related("site", "unit")


def get_child_at_site(site, public_id):
    """A child enrolled at ``site`` (any service, any year), else 404: an agent never
    reaches, nor learns the name of, a child of another site."""
    try:
        return Child.objects.filter(enrolments__site=site).distinct().get(public_id=public_id)
    except (Child.DoesNotExist, ValidationError) as error:
        raise Http404("Enfant introuvable à ce site.") from error


def child_seen_by_staff(user, public_id):
    """A child enrolled at one of ``user``'s sites (their photo on the lists), else 404."""
    try:
        return (
            Child.objects.filter(enrolments__site__in=sites_for_staff(user))
            .distinct()
            .get(public_id=public_id)
        )
    except (Child.DoesNotExist, ValidationError) as error:
        raise Http404("Enfant introuvable.") from error
