"""Reads of the bookings app. A family only reaches its own rows (404 otherwise); list
selectors name their joins; the agenda costs the same number of queries for 1 or 30
days booked."""

import calendar as month_calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from espace_prive.catalogue.models import Service, Site
from espace_prive.catalogue.selectors import school_year_bounds
from espace_prive.documents.selectors import documents_to_provide as family_documents_to_provide
from espace_prive.documents.selectors import required_documents_status

from .models import (
    ACTIVE_ENROLMENT_STATES,
    AbsenceDeclaration,
    AbsenceReason,
    ActivityUnit,
    Booking,
    BookingEvent,
    BookingState,
    CalendarFeed,
    Enrolment,
    EnrolmentState,
    Period,
    SchoolYear,
    UnitCapacity,
    UnitDay,
)
from .planning import Planning


class AgendaState:
    BOOKED = "reservee"
    WAITING = "liste_attente"
    ABSENT = "absent"
    CLOSED = "ferme"
    PAST_DEADLINE = "delai_passe"
    FULL = "complet"
    AVAILABLE = "disponible"

    LABELS = {
        BOOKED: "Réservé",
        WAITING: "Liste d'attente",
        ABSENT: "Absent",
        CLOSED: "Fermé",
        PAST_DEADLINE: "Délai passé",
        FULL: "Complet",
        AVAILABLE: "Disponible",
    }


def _get(queryset, public_id, message):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404(message) from error


# --- A family's own rows ------------------------------------------------------------------

ENROLMENT_RELATED = ("child", "service", "site", "school_year__commune", "decided_by")


def enrolments_for_family(family):
    return (
        Enrolment.objects.filter(child__family=family)
        .select_related(*ENROLMENT_RELATED)
        .order_by("-school_year__starts_on", "child__birth_date", "service__sort_order")
    )


def current_enrolments_for_family(family, *, on=None):
    """The family's enrolments asked for or accepted, in school years not over yet."""
    today = on or timezone.localdate()
    return (
        enrolments_for_family(family)
        .filter(state__in=ACTIVE_ENROLMENT_STATES, school_year__ends_on__gte=today)
        .order_by("school_year__starts_on", "service__sort_order", "service__name", "pk")
    )


def documents_to_provide(family, enrolments, *, on=None):
    """Pièces à fournir of the home page: for the services of ``enrolments`` (from
    ``current_enrolments_for_family``), what the family has not had accepted yet, as
    ``documents.selectors.documents_to_provide`` tells (two queries)."""
    wanted = [
        (e.service, school_year_bounds(e.school_year.starts_on)[0], e.child) for e in enrolments
    ]
    return family_documents_to_provide(family, wanted, on=on)


def enrolments_for_child(child):
    return enrolments_for_family(child.family).filter(child=child)


def get_enrolment_for_family(family, public_id):
    return _get(enrolments_for_family(family), public_id, "Inscription introuvable.")


def bookings_for_family(family, *, start=None, end=None):
    queryset = Booking.objects.filter(child__family=family).select_related(
        "child", "unit__service", "site", "absence__declaration__reason"
    )
    if start:
        queryset = queryset.filter(day__gte=start)
    if end:
        queryset = queryset.filter(day__lte=end)
    return queryset.order_by("day", "unit__sort_order", "child__first_name")


def get_booking_for_family(family, public_id):
    return _get(bookings_for_family(family), public_id, "Réservation introuvable.")


def absences_for_family(family):
    return (
        AbsenceDeclaration.objects.filter(child__family=family)
        .select_related("child", "reason")
        .prefetch_related("absences__booking__unit")
        .order_by("-first_day", "-id")
    )


def get_absence_for_family(family, public_id):
    return _get(absences_for_family(family), public_id, "Absence introuvable.")


def absence_reasons():
    return AbsenceReason.objects.filter(is_active=True)


# --- Reference data named by families (the API's bodies) ---------------------------------


def _reference(queryset, public_id, message, field):
    """An active reference row by ``public_id``, else a French error on ``field``."""
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as error:
        raise ValidationError({field: message}) from error


def get_activity_unit(public_id, field="unit"):
    return _reference(
        ActivityUnit.objects.filter(is_active=True).select_related("service"),
        public_id,
        "Activité inconnue : choisissez-en une de l'agenda de l'enfant.",
        field,
    )


def get_service(public_id, field="service"):
    return _reference(Service.objects.filter(is_active=True), public_id, "Service inconnu.", field)


def get_site(public_id, field="site"):
    return _reference(Site.objects.filter(is_active=True), public_id, "Site inconnu.", field)


def get_school_year(public_id, field="school_year"):
    return _reference(
        SchoolYear.objects.select_related("commune"),
        public_id,
        "Année scolaire inconnue.",
        field,
    )


def get_absence_reason(code, field="reason"):
    reason = absence_reasons().filter(code=code).first()
    if reason is None:
        raise ValidationError({field: "Motif d'absence inconnu : choisissez-en un de la liste."})
    return reason


# Booked days shown in the agenda's feed: from this far back, and every day to come.
FEED_DAYS_BACK = 60


def calendar_feed_for_family(family):
    """The family's agenda address, or None when it has not asked for one."""
    return CalendarFeed.objects.filter(family=family).first()


def family_for_feed_token(token):
    """The family whose agenda address holds ``token`` (404 for an unknown or renewed
    token, or a closed file)."""
    feed = (
        CalendarFeed.objects.filter(token=token, family__anonymised_at__isnull=True)
        .select_related("family")
        .first()
        if token
        else None
    )
    if feed is None:
        raise Http404("Agenda introuvable.")
    return feed.family


def bookings_for_feed(family, *, today=None):
    """The family's booked and waiting days from ``FEED_DAYS_BACK`` days ago on."""
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=FEED_DAYS_BACK)
    return bookings_for_family(family, start=start).filter(
        state__in=[BookingState.BOOKED, BookingState.WAITING]
    )


def recent_promotions_for_family(family, *, since):
    """Waiting-list places granted since ``since`` (for a banner on the portal)."""
    return bookings_for_family(family).filter(state=BookingState.BOOKED, promoted_at__gte=since)


# --- What a family may enrol in -----------------------------------------------------------


def open_school_years(*, on=None):
    today = on or timezone.localdate()
    return SchoolYear.objects.filter(ends_on__gte=today).select_related("commune")


def enrolment_options(*, on=None):
    """``[(school year, service, [sites])]`` a child may be enrolled in: services with a
    period in a school year not over yet (three queries)."""
    periods = (
        Period.objects.filter(school_year__in=open_school_years(on=on))
        .select_related("school_year__commune", "service")
        .prefetch_related("service__sites")
        .order_by("school_year__starts_on", "service__sort_order", "service__name")
    )
    seen, options = set(), []
    for period in periods:
        key = (period.school_year_id, period.service_id)
        if key in seen or not period.service.is_active:
            continue
        seen.add(key)
        sites = [s for s in period.service.sites.all() if s.is_active]
        options.append((period.school_year, period.service, sites))
    return options


def missing_documents_for_enrolment(enrolment):
    """Documents the service requires for this school year that the family has not had
    accepted (documents' required-documents selector, for this child)."""
    statuses = required_documents_status(
        enrolment.child.family,
        enrolment.service,
        on=enrolment.school_year.starts_on,
        child=enrolment.child,
    )
    return [status for status in statuses if not status.is_satisfied]


# --- The agenda ---------------------------------------------------------------------------


@dataclass
class AgendaEntry:
    day: datetime.date
    unit: ActivityUnit
    state: str
    reason: str = ""
    price: object = None
    can_book: bool = False
    can_cancel: bool = False
    booking: Booking | None = None
    book_until: datetime.datetime | None = None
    cancel_until: datetime.datetime | None = None

    @property
    def state_label(self):
        return AgendaState.LABELS[self.state]


def _entry(planning, enrolment, unit, day, *, by_staff=False):
    booking = planning.bookings.get((unit.pk, day))
    status = planning.status(unit, day, enrolment)
    entry = AgendaEntry(day=day, unit=unit, state=AgendaState.AVAILABLE, booking=booking)
    if not status.open:
        entry.state, entry.reason = AgendaState.CLOSED, status.reason
        if booking is None or not booking.is_active:
            return entry
    entry.book_until = planning.deadline(unit, day, period=status.period, enrolment=enrolment)
    entry.cancel_until = planning.deadline(
        unit, day, cancel=True, period=status.period, enrolment=enrolment
    )
    before_cancel = entry.cancel_until is None or planning.now < entry.cancel_until
    if booking is not None and booking.is_active:
        absence = getattr(booking, "absence", None) if booking.state == "reservee" else None
        if absence is not None:
            entry.state = AgendaState.ABSENT
            entry.reason = absence.declaration.reason_label
        elif booking.state == BookingState.BOOKED:
            entry.state = AgendaState.BOOKED
        else:
            entry.state = AgendaState.WAITING
        entry.can_cancel = absence is None and (before_cancel or by_staff)
        entry.price = planning.price(unit, day, enrolment).amount
        return entry
    if status.period.sold_as_session:
        entry.state = AgendaState.AVAILABLE
        entry.reason = f"« {status.period.name} » se réserve en entier."
        entry.price = planning.price(unit, day, enrolment).amount
        return entry
    before_book = entry.book_until is None or planning.now < entry.book_until
    if not before_book and not by_staff:
        entry.state = AgendaState.PAST_DEADLINE
        entry.reason = f"Délai de réservation : {planning.rule_text(unit)}."
        return entry
    entry.can_book = True
    entry.price = planning.price(unit, day, enrolment).amount
    if planning.is_full(unit, enrolment.site_id, day):
        entry.state = AgendaState.FULL
        entry.reason = "Complet : une réservation ira sur la liste d'attente."
    return entry


def agenda_for_child(child, start, end, *, now=None, by_staff=False):
    """Each day from ``start`` to ``end`` of each unit ``child`` is enrolled in:
    ``[AgendaEntry]`` by day, then unit. A constant number of queries (the reference
    data from the cache: ``reference_cache``)."""
    planning = Planning(child=child, start=start, end=end, now=now, cached=True)
    entries = []
    day = start
    while day <= end:
        for enrolment in planning.enrolments:
            if not enrolment.school_year.contains(day):
                continue
            for unit in planning.units_of(enrolment):
                entries.append(_entry(planning, enrolment, unit, day, by_staff=by_staff))
        day += datetime.timedelta(days=1)
    return entries


def agenda_for_family(family, start, end, *, now=None):
    """``[(child, [AgendaEntry])]`` for every child of the family."""
    return [
        (child, agenda_for_child(child, start, end, now=now))
        for child in family.children.select_related("family").order_by("birth_date")
    ]


def tariff_for_child(child, service, day):
    """The tariff the family pays for ``service`` on ``day`` (and why, when it is not
    its own band): for a notice next to the agenda."""
    planning = Planning(child=child, start=day, end=day, services=[service.pk], live=False)
    enrolment = planning.enrolment_for(service.pk, day)
    return planning.tariff(enrolment, day) if enrolment else None


# --- Staff: day lists, occupancy, history -------------------------------------------------


def day_list(unit, site, day):
    """Children booked and waiting (in arrival order) for ``unit`` at ``site`` on ``day``."""
    bookings = list(
        Booking.objects.filter(
            unit=unit, site=site, day=day, state__in=[BookingState.BOOKED, BookingState.WAITING]
        )
        .select_related("child__family", "absence__declaration__reason")
        .order_by("queued_at", "id")
    )
    booked = [b for b in bookings if b.state == BookingState.BOOKED]
    waiting = [b for b in bookings if b.state == BookingState.WAITING]
    return booked, waiting


def places_on(unit, site, day):
    override = UnitDay.objects.filter(unit=unit, site=site, day=day).values_list(
        "places", flat=True
    )
    override = next(iter(override), None)
    if override is not None:
        return override
    defaults = UnitCapacity.objects.filter(unit=unit, site=site)
    return defaults.values_list("places", flat=True).first()


@dataclass
class OccupancyRow:
    day: datetime.date
    unit: ActivityUnit
    booked: int
    waiting: int
    places: int | None

    @property
    def is_full(self):
        return self.places is not None and self.booked >= self.places

    @property
    def rate(self):
        if not self.places:
            return None
        return round(100 * self.booked / self.places)


def occupancy(service, site, year, month):
    """Booked / places per day and unit of ``service`` at ``site`` over a month (days
    with at least one booking or waiting child); four queries."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, month_calendar.monthrange(year, month)[1])
    units = {u.pk: u for u in ActivityUnit.objects.filter(service=service, sites=site)}
    defaults = {
        c.unit_id: c.places for c in UnitCapacity.objects.filter(unit_id__in=units, site=site)
    }
    overrides = {
        (d.unit_id, d.day): d.places
        for d in UnitDay.objects.filter(
            unit_id__in=units, site=site, day__gte=first, day__lte=last, places__isnull=False
        )
    }
    counts = (
        Booking.objects.filter(unit_id__in=units, site=site, day__gte=first, day__lte=last)
        .values("unit_id", "day")
        .annotate(
            booked=Count("id", filter=Q(state=BookingState.BOOKED)),
            waiting=Count("id", filter=Q(state=BookingState.WAITING)),
        )
        .order_by("day", "unit_id")
    )
    rows = []
    for row in counts:
        if not (row["booked"] or row["waiting"]):
            continue
        unit_id, day = row["unit_id"], row["day"]
        places = overrides.get((unit_id, day), defaults.get(unit_id))
        rows.append(OccupancyRow(day, units[unit_id], row["booked"], row["waiting"], places))
    return rows


def booking_history(child):
    """Everything done to the child's bookings: who, what, when (newest first)."""
    return (
        BookingEvent.objects.filter(booking__child=child)
        .select_related("booking__unit__service", "booking__site", "actor")
        .order_by("-at", "-id")
    )


def pending_enrolments(*, service=None):
    queryset = Enrolment.objects.filter(state=EnrolmentState.PENDING).select_related(
        *ENROLMENT_RELATED, "child__family"
    )
    if service is not None:
        queryset = queryset.filter(service=service)
    return queryset.order_by("requested_at", "id")


# --- Reference data the family pages pick from --------------------------------------------


def get_unit(public_id):
    """An activity unit by its public id (reference data; 404 when unknown)."""
    return _get(ActivityUnit.objects.select_related("service"), public_id, "Activité introuvable.")


def bookable_units_for_child(child, *, on=None):
    """``[(enrolment, unit)]`` of the child's accepted enrolments of school years not over
    yet, each unit offered at the enrolment's site (two queries)."""
    today = on or timezone.localdate()
    enrolments = list(
        enrolments_for_child(child).filter(
            state=EnrolmentState.ACCEPTED, school_year__ends_on__gte=today
        )
    )
    units = ActivityUnit.objects.filter(
        service_id__in={e.service_id for e in enrolments}
    ).prefetch_related("sites")
    pairs = []
    for unit in units.order_by("service__sort_order", "sort_order", "name"):
        site_ids = {site.pk for site in unit.sites.all()}
        for enrolment in enrolments:
            if enrolment.service_id == unit.service_id and enrolment.site_id in site_ids:
                pairs.append((enrolment, unit))
    return pairs


def sessions_for_child(child, *, on=None, pairs=None):
    """``[(period, unit)]``: holiday sessions sold whole, not started yet, of the services
    the child is enrolled in (accepted), for the units offered at its site (``pairs``:
    ``bookable_units_for_child`` when the caller has it already)."""
    today = on or timezone.localdate()
    if pairs is None:
        pairs = bookable_units_for_child(child, on=today)
    if not pairs:
        return []
    periods = Period.objects.filter(
        sold_as_session=True,
        starts_on__gte=today,
        service_id__in={e.service_id for e, _unit in pairs},
        school_year_id__in={e.school_year_id for e, _unit in pairs},
    ).order_by("starts_on")
    return [
        (period, unit)
        for period in periods
        for enrolment, unit in pairs
        if enrolment.service_id == period.service_id
        and enrolment.school_year_id == period.school_year_id
        and unit.runs_in(period.kind)
    ]


def get_session_for_child(child, period_id, unit_id, *, field=None):
    """One of ``sessions_for_child``; otherwise 404, or a French ``ValidationError`` on
    ``field`` when given (the API: a session is not the family's object, it is input)."""
    for period, unit in sessions_for_child(child):
        if str(period.public_id) == str(period_id) and str(unit.public_id) == str(unit_id):
            return period, unit
    if field:
        raise ValidationError(
            {field: "Séjour inconnu : choisissez-en un parmi les séjours proposés à l'enfant."}
        )
    raise Http404("Séjour introuvable.")
