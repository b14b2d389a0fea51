"""Reads of family requests; a family only ever reaches its own."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

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


def staff_queue(*, state=RequestState.PENDING, section="", age="", family="", now=None):
    """The staff's queue: oldest pending first; filters by type, age and family."""
    now = now or timezone.now()
    queryset = _with_related(ChangeRequest.objects.all()).prefetch_related("family__guardians")
    if state:
        queryset = queryset.filter(state=state)
    if section:
        queryset = queryset.filter(section=section)
    if age in AGE_FILTERS:
        _label, younger_days, older_days = AGE_FILTERS[age]
        queryset = queryset.filter(created_at__lte=now - datetime.timedelta(days=younger_days))
        if older_days is not None:
            queryset = queryset.filter(created_at__gt=now - datetime.timedelta(days=older_days))
    if family:
        family = family.strip()
        queryset = queryset.filter(
            Q(family__reference__icontains=family)
            | Q(family__guardians__last_name__icontains=family)
        ).distinct()
    if state == RequestState.PENDING:
        return queryset.order_by("created_at", "id")
    return queryset.order_by("-created_at", "-id")
