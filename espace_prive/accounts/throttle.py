"""Lockout of an (account, IP) pair after repeated failures, safe across workers.

An attempt is *reserved* (counted as a failure) before the password or code is
checked, under a row lock; a success clears the row. Concurrent requests therefore
cannot check more than ``LOGIN_FAILURE_LIMIT`` secrets for one pair, whatever the
number of gunicorn workers. The slow password hash runs outside the transaction.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import time_format

from .models import LoginThrottle

Scope = LoginThrottle.Scope


class Locked(Exception):
    """The pair is locked until ``until``."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until

    @property
    def message(self):
        return lockout_message(self.until)


@dataclass(frozen=True)
class Failure:
    """The outcome of a failed attempt: ``locked_until`` is set when it caused a lock."""

    failures: int
    locked_until: datetime.datetime | None


def _limit():
    return settings.LOGIN_FAILURE_LIMIT


def _lock_duration():
    return datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def lockout_message(until):
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    local = timezone.localtime(until)
    return (
        f"Trop de tentatives infructueuses : par sécurité, ce compte est bloqué "
        f"pendant {minutes} minutes depuis votre connexion internet "
        f"(jusqu'à {time_format(local, 'H \\h i')}). Réessayez ensuite, ou "
        "réinitialisez votre mot de passe si vous l'avez oublié."
    )


def _normalize(identifier):
    return (identifier or "").strip().lower()[:254]


def _row_for_update(scope, identifier, ip):
    row, _created = LoginThrottle.objects.select_for_update().get_or_create(
        scope=scope, identifier=identifier, ip_address=ip
    )
    return row


def attempt_begin(*, scope, identifier, ip):
    """Reserve one attempt for the pair, or raise ``Locked``."""
    identifier = _normalize(identifier)
    now = timezone.now()
    with transaction.atomic():
        row = _row_for_update(scope, identifier, ip)
        if row.locked_until and row.locked_until > now:
            raise Locked(row.locked_until)
        window_over = row.first_failure_at and row.first_failure_at + _lock_duration() <= now
        if row.locked_until or window_over:
            row.failures, row.first_failure_at, row.locked_until = 0, None, None
        if row.failures >= _limit():
            # Every allowed attempt is already taken by requests still in flight.
            raise Locked(now + _lock_duration())
        row.failures += 1
        row.first_failure_at = row.first_failure_at or now
        row.save(update_fields=["failures", "first_failure_at", "locked_until"])


def attempt_failed(*, scope, identifier, ip):
    """The reserved attempt failed: lock the pair when it reached the limit."""
    identifier = _normalize(identifier)
    with transaction.atomic():
        row = _row_for_update(scope, identifier, ip)
        if row.failures >= _limit() and row.locked_until is None:
            row.locked_until = timezone.now() + _lock_duration()
            row.save(update_fields=["locked_until"])
            return Failure(row.failures, row.locked_until)
        return Failure(row.failures, None)


def attempt_succeeded(*, scope, identifier, ip):
    """The secret was right: forget the failures of this pair."""
    LoginThrottle.objects.filter(
        scope=scope, identifier=_normalize(identifier), ip_address=ip
    ).delete()


def locked_until(*, scope, identifier, ip):
    """When the pair is locked, until when; otherwise None (read-only)."""
    row = LoginThrottle.objects.filter(
        scope=scope, identifier=_normalize(identifier), ip_address=ip
    ).first()
    if row and row.locked_until and row.locked_until > timezone.now():
        return row.locked_until
    return None


def purge_expired(now=None):
    """Delete rows whose lock and counting window are over (maintenance)."""
    now = now or timezone.now()
    window_over = models.Q(first_failure_at__lt=now - _lock_duration(), locked_until__isnull=True)
    lock_over = models.Q(locked_until__lt=now)
    return LoginThrottle.objects.filter(window_over | lock_over).delete()[0]
