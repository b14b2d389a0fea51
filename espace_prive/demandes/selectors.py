"""Reads of family requests; a family only ever reaches its own."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import CharField, F, Q, Value
from django.http import Http404
from django.utils import timezone

from espace_prive.accounts.models import Registration
from espace_prive.accounts.selectors import registrations_for_queue
from espace_prive.bookings.models import Enrolment, EnrolmentState
from espace_prive.families.sections import Operation

from .models import ChangeRequest, RequestState

RELATED = ("family", "guardian", "child", "pickup_person", "created_by", "decided_by")


def _with_related(queryset):
    return queryset.select_related(*RELATED)


def history_start(now=None):
    return (now or timezone.now()) - datetime.timedelta(days=settings.DEMANDES_HISTORY_DAYS)


def requests_for_family(family, *, now=None):
    """Pending requests, and those decided within the history window (a month)."""
    return _with_related(
        ChangeRequest.objects.filter(family=family).filter(
            Q(state=RequestState.PENDING) | Q(decided_at__gte=history_start(now))
        )
    ).order_by("-created_at", "-id")


def get_request_for_family(family, public_id):
    """The family's own request, or 404 — never another family's."""
    try:
        return _with_related(ChangeRequest.objects.filter(family=family)).get(public_id=public_id)
    except (ChangeRequest.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Demande introuvable.") from error


def pending_requests_for_family(family):
    return _with_related(
        ChangeRequest.objects.filter(family=family, state=RequestState.PENDING)
    ).order_by("created_at", "id")


def unseen_decisions_for_family(family, *, now=None):
    """Decisions the family has not looked at yet (staff decisions, not its own cancels)."""
    return _with_related(
        ChangeRequest.objects.filter(
            family=family,
            family_seen_at__isnull=True,
            auto_applied=False,
            decided_at__gte=history_start(now),
            state__in=[RequestState.ACCEPTED, RequestState.REFUSED, RequestState.CONFLICT],
        )
    ).order_by("-decided_at")


class PendingIndex:
    """Pending requests of a family, found by what they change (for "en attente" marks)."""

    def __init__(self, requests):
        self.updates = {}
        self.additions = []
        for change_request in requests:
            if change_request.operation == Operation.CREATE:
                self.additions.append(change_request)
            else:
                self.updates[(change_request.section, change_request.target_key)] = change_request

    def get(self, section, target_key):
        return self.updates.get((section.key, target_key))

    def additions_of(self, section_key, child=None):
        return [
            r
            for r in self.additions
            if r.section == section_key and (child is None or r.child_id == child.pk)
        ]

    def for_child(self, child):
        return [r for r in self.updates.values() if r.child_id == child.pk] + self.additions_of(
            "pickup_person", child
        )


AGE_FILTERS = {
    "moins-2-jours": ("Moins de 2 jours", 0, 2),
    "2-7-jours": ("De 2 à 7 jours", 2, 7),
    "plus-7-jours": ("Plus de 7 jours", 7, None),
    "plus-30-jours": ("Plus de 30 jours", 30, None),
}

# The staff queue also lists pré-inscriptions (espace_prive.accounts), as their own type.
REQUEST = "demande"
REGISTRATION = "pre_inscription"
REGISTRATION_LABEL = "Pré-inscription"
# Enrolments in a service (espace_prive.bookings) are listed too, as their own type.
ENROLMENT = "inscription"
ENROLMENT_LABEL = "Inscription à un service"
ENROLMENT_STATE = {
    RequestState.PENDING: EnrolmentState.PENDING,
    RequestState.ACCEPTED: EnrolmentState.ACCEPTED,
    RequestState.REFUSED: EnrolmentState.REFUSED,
    RequestState.CANCELLED: EnrolmentState.CANCELLED,
}
# A pré-inscription is pending, accepted or refused; it is never in conflict or cancelled.
REGISTRATION_STATUS = {
    RequestState.PENDING: Registration.Status.PENDING,
    RequestState.ACCEPTED: Registration.Status.ACCEPTED,
    RequestState.REFUSED: Registration.Status.REFUSED,
}


def _age_filter(field, age, now):
    """The ``AGE_FILTERS[age]`` window on the date ``field``, as a Q (empty: no filter)."""
    if age not in AGE_FILTERS:
        return Q()
    _label, younger_days, older_days = AGE_FILTERS[age]
    condition = Q(**{f"{field}__lte": now - datetime.timedelta(days=younger_days)})
    if older_days is not None:
        condition &= Q(**{f"{field}__gt": now - datetime.timedelta(days=older_days)})
    return condition


def staff_queue(*, state=RequestState.PENDING, section="", age="", family="", now=None):
    """The staff's queue: oldest pending first; filters by type, age and family."""
    now = now or timezone.now()
    queryset = _with_related(ChangeRequest.objects.all()).prefetch_related("family__guardians")
    if state:
        queryset = queryset.filter(state=state)
    if section:
        queryset = queryset.filter(section=section)
    queryset = queryset.filter(_age_filter("created_at", age, now))
    if family:
        family = family.strip()
        queryset = queryset.filter(
            Q(family__reference__icontains=family)
            | Q(family__guardians__last_name__icontains=family)
        ).distinct()
    if state == RequestState.PENDING:
        return queryset.order_by("created_at", "id")
    return queryset.order_by("-created_at", "-id")


def registrations_in_queue(*, state=RequestState.PENDING, age="", family="", now=None):
    """Pré-inscriptions matching the queue's filters (the applicant's name for "family")."""
    now = now or timezone.now()
    queryset = Registration.objects.all()
    if state:
        if state not in REGISTRATION_STATUS:
            return queryset.none()
        queryset = queryset.filter(status=REGISTRATION_STATUS[state])
    queryset = queryset.filter(_age_filter("submitted_at", age, now))
    if family:
        queryset = queryset.filter(last_name__icontains=family.strip())
    return queryset


def enrolments_in_queue(*, state=RequestState.PENDING, age="", family="", now=None):
    """Enrolment requests matching the queue's filters (family reference or guardian)."""
    now = now or timezone.now()
    queryset = Enrolment.objects.all()
    if state:
        if state not in ENROLMENT_STATE:
            return queryset.none()
        queryset = queryset.filter(state=ENROLMENT_STATE[state])
    queryset = queryset.filter(_age_filter("requested_at", age, now))
    if family:
        family = family.strip()
        queryset = queryset.filter(
            Q(child__family__reference__icontains=family)
            | Q(child__family__guardians__last_name__icontains=family)
            | Q(child__last_name__icontains=family)
        ).distinct()
    return queryset


def staff_queue_entries(
    *,
    requests=True,
    registrations=False,
    enrolments=False,
    state=RequestState.PENDING,
    section="",
    age="",
    family="",
    now=None,
):
    """One queue of family requests and pré-inscriptions, as ``(type, id, received)`` rows
    in one query (oldest pending first): paginate these, then ``staff_queue_rows(page)``.

    ``requests``, ``registrations`` and ``enrolments`` say what the staff member may see;
    ``section`` is a request's section, ``REGISTRATION`` or ``ENROLMENT``.
    """
    now = now or timezone.now()
    parts = []
    if requests and section not in (REGISTRATION, ENROLMENT):
        queryset = staff_queue(state=state, section=section, age=age, family=family, now=now)
        parts.append(
            queryset.order_by()
            .annotate(queue_type=Value(REQUEST, CharField()), received_at=F("created_at"))
            .values_list("queue_type", "id", "received_at")
        )
    if registrations and section in ("", REGISTRATION):
        queryset = registrations_in_queue(state=state, age=age, family=family, now=now)
        parts.append(
            queryset.order_by()
            .annotate(queue_type=Value(REGISTRATION, CharField()), received_at=F("submitted_at"))
            .values_list("queue_type", "id", "received_at")
        )
    if enrolments and section in ("", ENROLMENT):
        queryset = enrolments_in_queue(state=state, age=age, family=family, now=now)
        parts.append(
            queryset.order_by()
            .annotate(queue_type=Value(ENROLMENT, CharField()), received_at=F("requested_at"))
            .values_list("queue_type", "id", "received_at")
        )
    if not parts:
        return ChangeRequest.objects.none()
    entries = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    if state == RequestState.PENDING:
        return entries.order_by("received_at", "id")
    return entries.order_by("-received_at", "-id")


def staff_queue_rows(entries):
    """The requests and pré-inscriptions behind a page of ``staff_queue_entries``, in its
    order, each with ``queue_type``; a fixed number of queries whatever the page size."""
    entries = list(entries)
    ids = {REQUEST: [], REGISTRATION: [], ENROLMENT: []}
    for queue_type, pk, _received_at in entries:
        ids[queue_type].append(pk)
    found = {}
    if ids[REQUEST]:
        requests = (
            _with_related(ChangeRequest.objects.filter(pk__in=ids[REQUEST]))
            .prefetch_related("family__guardians")
            .annotate(queue_type=Value(REQUEST, CharField()))
        )
        found.update({(REQUEST, r.pk): r for r in requests})
    if ids[REGISTRATION]:
        registrations = (
            registrations_for_queue(status=None)
            .filter(pk__in=ids[REGISTRATION])
            .annotate(queue_type=Value(REGISTRATION, CharField()))
        )
        found.update({(REGISTRATION, r.pk): r for r in registrations})
    if ids[ENROLMENT]:
        enrolments = (
            Enrolment.objects.filter(pk__in=ids[ENROLMENT])
            .select_related("child__family", "service", "site", "school_year", "decided_by")
            .prefetch_related("child__family__guardians")
            .annotate(queue_type=Value(ENROLMENT, CharField()))
        )
        found.update({(ENROLMENT, e.pk): e for e in enrolments})
    return [found[(t, pk)] for t, pk, _ in entries if (t, pk) in found]
