"""Sessions of a user (tracking, rekey, ending) and password changes."""

from importlib import import_module

from django.conf import settings

from ..audit import audit_record
from ..models import (
    AuditEvent,
    UserSession,
)
from ..security import (
    client_ip,
    user_agent,
)
from .api_tokens import api_tokens_revoke_all
from .signin import _account_for_email

Kind = AuditEvent.Kind


def session_track(*, request, user):
    """Remember the session just opened for ``user`` (called on ``user_logged_in``)."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": user_agent(request),
        },
    )


def session_rekey(*, request, user):
    """New session key after a privilege change (second factor), keeping the data."""
    old_key = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old_key).delete()
    session_track(request=request, user=user)


def session_forget(*, session_key):
    UserSession.objects.filter(session_key=session_key).delete()


def user_sessions_end(*, user, keep_session_key=None):
    """Delete every session of ``user`` from the session store, except ``keep_session_key``."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    tracked = UserSession.objects.filter(user=user)
    if keep_session_key:
        tracked = tracked.exclude(session_key=keep_session_key)
    keys = list(tracked.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def password_changed(*, request, user, reset=False):
    """After a password change or reset: other sessions and API tokens end; journaled."""
    keep = request.session.session_key if (not reset and request.user == user) else None
    ended = user_sessions_end(user=user, keep_session_key=keep)
    api_tokens_revoke_all(user=user)
    audit_record(
        Kind.PASSWORD_RESET if reset else Kind.PASSWORD_CHANGED,
        request=request,
        user=user,
        actor=user,
        details={"other_sessions_ended": ended},
    )


def password_reset_requested(*, request, email):
    audit_record(
        Kind.PASSWORD_RESET_REQUESTED,
        request=request,
        user=_account_for_email(email),
        email=email.strip().lower(),
    )
