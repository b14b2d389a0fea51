"""Sign-in with lockout per (account, IP), re-authentication, second-factor check."""

import math

from django.contrib.auth import authenticate, get_user_model
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import throttle
from ..audit import audit_record
from ..models import AuditEvent
from ..security import (
    client_ip,
)
from .base import InvalidCode, InvalidCredentials, SecondFactorWait

Kind = AuditEvent.Kind


def _account_for_email(email):
    return get_user_model().objects.filter(email__iexact=(email or "").strip()).first()


def _raise_if_locked(failure, *, request, scope, identifier, user):
    """After a counted failure: when it locked the pair, journal the lockout and raise."""
    if not failure.locked_until:
        return
    audit_record(
        Kind.LOCKOUT,
        request=request,
        user=user,
        email=identifier,
        details={"scope": scope, "until": failure.locked_until.isoformat()},
    )
    raise throttle.Locked(failure.locked_until)


def credentials_check(*, request, email, password, channel="portail"):
    """The user whose e-mail and password these are, or raise.

    ``throttle.Locked`` when this (account, IP) pair is locked; ``InvalidCredentials``
    otherwise. Each failure is logged and journaled, never the password.
    """
    identifier = (email or "").strip().lower()
    ip = client_ip(request)
    scope = throttle.Scope.LOGIN
    try:
        throttle.attempt_begin(scope=scope, identifier=identifier, ip=ip)
    except throttle.Locked:
        audit_record(
            Kind.LOGIN_FAILED,
            request=request,
            user=_account_for_email(identifier),
            email=identifier,
            details={"reason": "locked", "channel": channel},
        )
        raise
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        failure = throttle.attempt_failed(scope=scope, identifier=identifier, ip=ip)
        account = _account_for_email(identifier)
        audit_record(
            Kind.LOGIN_FAILED,
            request=request,
            user=account,
            email=identifier,
            details={"reason": "invalid_credentials", "channel": channel},
        )
        _raise_if_locked(failure, request=request, scope=scope, identifier=identifier, user=account)
        raise InvalidCredentials(
            "Adresse e-mail ou mot de passe incorrect. Vérifiez votre saisie "
            "(les majuscules comptent dans le mot de passe)."
        )
    throttle.attempt_succeeded(scope=scope, identifier=identifier, ip=ip)
    return user


PASSWORD_WRONG = "Mot de passe incorrect."


def password_reauthenticate(*, request, user, password, purpose):
    """Check the password of the signed-in ``user`` again before a sensitive change.

    Same lockout as sign-in (the failures count for the same account and IP, and a
    lock blocks both) and journaled like it: it cannot be used to try passwords
    without limit. Raises ``throttle.Locked`` or ``InvalidCredentials``. Must not run
    inside a transaction that a refusal rolls back, or the failure would not count.
    """
    identifier = (user.email or "").strip().lower()
    ip = client_ip(request)
    scope = throttle.Scope.LOGIN
    details = {"channel": "reauth", "purpose": purpose}
    try:
        throttle.attempt_begin(scope=scope, identifier=identifier, ip=ip)
    except throttle.Locked:
        audit_record(
            Kind.LOGIN_FAILED, request=request, user=user, details={**details, "reason": "locked"}
        )
        raise
    if user.check_password(password or ""):
        throttle.attempt_succeeded(scope=scope, identifier=identifier, ip=ip)
        return user
    failure = throttle.attempt_failed(scope=scope, identifier=identifier, ip=ip)
    audit_record(
        Kind.LOGIN_FAILED,
        request=request,
        user=user,
        details={**details, "reason": "invalid_password"},
    )
    _raise_if_locked(failure, request=request, scope=scope, identifier=identifier, user=user)
    raise InvalidCredentials(PASSWORD_WRONG)


def _second_factor_candidates(user, code):
    """``code`` normalised, and the confirmed devices of ``user`` that could accept it:
    the app for digits, the backup codes otherwise."""
    code = "".join((code or "").split()).replace("-", "")
    if not code:
        return code, []
    if code.isdigit():
        return code, list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    return code.lower(), list(StaticDevice.objects.devices_for_user(user, confirmed=True))


def _second_factor_wait(devices):
    """Seconds until one of ``devices`` takes a code again after wrong ones (django-otp's
    growing delay, which stops guessing spread over many addresses), or 0."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        until = (data or {}).get("locked_until")
        waits.append((until - timezone.now()).total_seconds() if until else 1)
    return max(1, math.ceil(min(waits))) if waits else 0


def _verify_second_factor(user, code, candidates):
    """The device among ``candidates`` that accepts ``code`` (TOTP or backup), or None."""
    for device in candidates:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


def second_factor_check(*, request, user, code):
    """The device that accepts ``code`` for ``user``; lockout per (account, IP) as sign-in."""
    identifier = user.email.lower()
    ip = client_ip(request)
    scope = throttle.Scope.OTP
    code, candidates = _second_factor_candidates(user, code)
    wait = _second_factor_wait(candidates)
    if wait:  # not counted as a failure: no code was tried
        audit_record(Kind.OTP_FAILED, request=request, user=user, details={"reason": "wait"})
        raise SecondFactorWait(
            f"Trop d'essais rapprochés : attendez {wait} seconde{'s' if wait > 1 else ''}, "
            "puis saisissez le code affiché à ce moment-là."
        )
    try:
        throttle.attempt_begin(scope=scope, identifier=identifier, ip=ip)
    except throttle.Locked:
        audit_record(Kind.OTP_FAILED, request=request, user=user, details={"reason": "locked"})
        raise
    device = _verify_second_factor(user, code, candidates)
    if device is None:
        failure = throttle.attempt_failed(scope=scope, identifier=identifier, ip=ip)
        audit_record(Kind.OTP_FAILED, request=request, user=user, details={"reason": "invalid"})
        _raise_if_locked(failure, request=request, scope=scope, identifier=identifier, user=user)
        raise InvalidCode(
            "Ce code n'est pas valable. Saisissez le code à 6 chiffres affiché maintenant "
            "par votre application, ou un code de secours."
        )
    throttle.attempt_succeeded(scope=scope, identifier=identifier, ip=ip)
    details = {"device": "backup" if isinstance(device, StaticDevice) else "totp"}
    audit_record(Kind.OTP_VERIFIED, request=request, user=user, actor=user, details=details)
    return device
