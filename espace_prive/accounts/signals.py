"""Receivers connected in ``AccountsConfig.ready``: journal and track every session."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from .audit import audit_record
from .models import AuditEvent
from .services import session_forget, session_track
from .session_state import session_state_refresh


@receiver(user_logged_in, dispatch_uid="accounts_user_logged_in")
def on_user_logged_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    session_track(request=request, user=user)
    session_state_refresh(request, user)
    audit_record(AuditEvent.Kind.LOGIN, request=request, user=user, actor=user)


@receiver(user_logged_out, dispatch_uid="accounts_user_logged_out")
def on_user_logged_out(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if request.session.session_key:
        session_forget(session_key=request.session.session_key)
    if user is not None:
        audit_record(AuditEvent.Kind.LOGOUT, request=request, user=user, actor=user)
