"""API tokens: creation, lookup by secret, revocation."""

import datetime

from django.conf import settings
from django.utils import timezone

from ..audit import audit_record
from ..models import (
    ApiToken,
    AuditEvent,
)
from ..security import (
    client_ip,
    new_token,
    token_hash,
    user_agent,
)
from .base import API_TOKEN_PREFIX, AccountError

Kind = AuditEvent.Kind


def api_token_create(*, request, user):
    """A new bearer token for ``user``; returns ``(secret, token)`` — the secret only once."""
    secret = new_token(API_TOKEN_PREFIX)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=token_hash(secret),
        prefix=secret[:10],
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.API_TOKEN_TTL_MINUTES),
        ip_address=client_ip(request),
        user_agent=user_agent(request),
    )
    audit_record(
        Kind.API_TOKEN_CREATED,
        request=request,
        user=user,
        actor=user,
        details={"token": str(token.public_id)},
    )
    return secret, token


def api_token_for_secret(secret):
    """``(user, token)`` for a usable bearer token, or ``AccountError``."""
    if not secret or not secret.startswith(API_TOKEN_PREFIX):
        raise AccountError("Jeton d'authentification invalide.", code="token_invalid")
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(secret)).first()
    if token is None:
        raise AccountError("Jeton d'authentification invalide.", code="token_invalid")
    now = timezone.now()
    if token.revoked_at is not None:
        raise AccountError("Ce jeton a été révoqué.", code="token_revoked")
    if token.expires_at <= now:
        raise AccountError("Ce jeton a expiré : demandez-en un nouveau.", code="token_expired")
    if not token.user.is_active:
        raise AccountError("Ce compte est désactivé.", code="account_inactive")
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def api_token_revoke(*, actor, token, ip=None, user_agent=""):
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            Kind.API_TOKEN_REVOKED,
            ip=ip,
            user_agent=user_agent,
            user=token.user,
            actor=actor,
            details={"token": str(token.public_id)},
        )
    return bool(revoked)


def api_tokens_revoke_all(*, user):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
