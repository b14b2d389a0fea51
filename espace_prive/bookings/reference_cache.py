"""The reference data of the agenda (units and their sites, service rules, periods,
school holidays, closures, tariff grids, default capacities), kept in the cache between
requests: every family's agenda of a month reads the same rows, nine queries that
change only when staff edit the catalogue or the calendar.

Only reads use it (``agenda_for_child``); bookings, cancellations and absences load
their ``Planning`` from the database as before. Any save, delete or many-to-many change
of one of ``WATCHED_MODELS`` starts a new generation, at once and again when the
transaction commits (a reader between the two would otherwise keep the old rows), so
the next agenda reads the rows again; entries also expire after ``TIMEOUT`` for
changes made in bulk, without signals (``bulk_create``, ``update``, SQL).
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "bookings:reference:generation"
PREFIX = "bookings:reference:"
TIMEOUT = 300
GENERATION_TIMEOUT = 24 * 3600
WATCHED_MODELS = {
    "bookings.activityunit",
    "bookings.servicerules",
    "bookings.deadlinerule",
    "bookings.period",
    "bookings.schoolholiday",
    "bookings.closure",
    "bookings.unitcapacity",
    "catalogue.service",
    "catalogue.site",
    "catalogue.tariffgrid",
    "catalogue.tariffband",
}


def enabled():
    """Only with Redis: a per-process cache would not hear of another process's change
    (the same rule as the public cache's in production)."""
    return bool(getattr(settings, "REDIS_URL", ""))


def cached(key, compute):
    """``compute()``, from the cache when the current generation stored it."""
    if not enabled():
        return compute()
    full_key = PREFIX + key
    found = cache.get_many([full_key, GENERATION_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=GENERATION_TIMEOUT):
            generation = cache.get(GENERATION_KEY) or generation
    entry = found.get(full_key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    cache.set(full_key, (generation, value), TIMEOUT)
    return value


def invalidate():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=GENERATION_TIMEOUT)


def _changed(sender, instance, **kwargs):
    action = kwargs.get("action")  # m2m_changed only
    if action is not None and not action.startswith("post_"):
        return
    labels = {sender._meta.label_lower, type(instance)._meta.label_lower}
    if kwargs.get("model") is not None:  # m2m_changed: the other side
        labels.add(kwargs["model"]._meta.label_lower)
    if labels & WATCHED_MODELS:
        invalidate()
        transaction.on_commit(invalidate)


def connect():
    post_save.connect(_changed, dispatch_uid="bookings-reference-save")
    post_delete.connect(_changed, dispatch_uid="bookings-reference-delete")
    m2m_changed.connect(_changed, dispatch_uid="bookings-reference-m2m")
