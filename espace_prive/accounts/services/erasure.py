"""Deactivation and RGPD erasure of accounts, retention purge of security data."""

import datetime
import uuid
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import throttle
from ..audit import audit_record
from ..models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Registration,
    UserSession,
)
from .api_tokens import api_tokens_revoke_all
from .sessions import user_sessions_end

Kind = AuditEvent.Kind


@transaction.atomic
def user_deactivate(*, actor, user, ip=None, user_agent=""):
    """Deactivate an account: it can no longer sign in, its sessions and tokens end."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user_access_revoke(actor=actor, user=user, ip=ip, user_agent=user_agent)


def user_access_revoke(*, actor, user, ip=None, user_agent=""):
    """End the sessions and API tokens of a deactivated account, and journal it."""
    ended = user_sessions_end(user=user)
    revoked = api_tokens_revoke_all(user=user)
    audit_record(
        Kind.USER_DEACTIVATED,
        ip=ip,
        user_agent=user_agent,
        user=user,
        actor=actor,
        details={"sessions_ended": ended, "api_tokens_revoked": revoked},
    )
    return ended


@transaction.atomic
def user_erase(*, actor, user, ip=None, user_agent=""):
    """RGPD: wipe the login of a guardian whose family is anonymised.

    The account is disabled and scrubbed (e-mail, names, password), its sessions end, and
    what hangs on it goes: second-factor devices and backup codes, API tokens and the
    pré-inscription it filed. Only the security journal keeps its (retention-limited) rows.
    """
    user_sessions_end(user=user)
    ApiToken.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()  # and its backup codes (cascade)
    Registration.objects.filter(user=user).delete()  # and its children (cascade)
    user.email = f"anonyme-{uuid.uuid4().hex}@anonyme.invalid"
    user.first_name = user.last_name = ""
    user.email_confirmed_at = None
    user.is_active = False
    user.set_unusable_password()
    user.save()
    audit_record(
        Kind.USER_DEACTIVATED,
        ip=ip,
        user_agent=user_agent,
        user=user,
        actor=actor,
        details={"anonymised": True},
    )
    return user


@transaction.atomic
def family_access_erase(*, actor, family, users, ip=None, user_agent=""):
    """RGPD: the ways into the portal of an anonymised family go — its invitations (they
    hold e-mail addresses), the pré-inscription it came from, and each login in ``users``."""
    Invitation.objects.filter(guardian__family=family).delete()
    Registration.objects.filter(family=family).delete()
    for user in users:
        user_erase(actor=actor, user=user, ip=ip, user_agent=user_agent)


def security_data_purge(*, now=None):
    """Delete what is no longer needed (retention): ended lockouts, old API tokens, the
    tracking rows of ended sessions, journal events past ``AUDIT_RETENTION_DAYS``."""
    now = now or timezone.now()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended_sessions = [
        key
        for key in UserSession.objects.values_list("session_key", flat=True).iterator()
        if not store().exists(key)
    ]
    old = now - datetime.timedelta(days=30)
    return {
        "compteurs": throttle.purge_expired(),
        "jetons": ApiToken.objects.filter(expires_at__lt=old).delete()[0]
        + ApiToken.objects.filter(revoked_at__lt=old).delete()[0],
        "sessions": UserSession.objects.filter(session_key__in=ended_sessions).delete()[0],
        "journal": AuditEvent.objects.filter(
            created_at__lt=now - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
        ).delete()[0],
    }
