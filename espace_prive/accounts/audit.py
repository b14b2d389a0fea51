"""The security journal: one row per event, and one line in the ``portail.security`` log.

Callers pass what happened and to whom; the request (when there is one) gives the
address and browser, or services that have no request pass ``ip`` and ``user_agent``.
Passwords, tokens and codes are never given to this module.
"""

import logging

from . import security
from .models import AuditEvent

logger = logging.getLogger("portail.security")

_WARNING_KINDS = {
    AuditEvent.Kind.LOGIN_FAILED,
    AuditEvent.Kind.LOCKOUT,
    AuditEvent.Kind.OTP_FAILED,
}


def audit_record(
    kind, *, request=None, user=None, actor=None, email="", details=None, ip=None, user_agent=""
):
    """Store one event and log it. ``user`` is the account concerned, ``actor`` who acted."""
    if user is not None and not getattr(user, "pk", None):
        user = None
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if request is not None:
        ip, user_agent = security.client_ip(request), security.user_agent(request)
    event = AuditEvent.objects.create(
        kind=kind,
        user=user,
        email=(email or (user.email if user is not None else ""))[:254],
        actor=actor,
        ip_address=ip,
        user_agent=user_agent,
        details=details or {},
    )
    logger.log(
        logging.WARNING if kind in _WARNING_KINDS else logging.INFO,
        "%s email=%s user=%s actor=%s ip=%s",
        kind,
        event.email or "-",
        event.user_id or "-",
        event.actor_id or "-",
        ip or "-",
    )
    return event
