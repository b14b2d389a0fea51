"""Writes of the accounts domain: sign-in checks, sessions, invitations, pré-inscriptions,
second factor and API tokens. Views, the admin, the API and commands call these."""

import datetime
import logging
import math
import uuid
from importlib import import_module

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from espace_prive.families import services as family_services
from espace_prive.families.models import Guardian

from . import throttle
from .audit import audit_record
from .emails import absolute_url, send_mail_after_commit
from .models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Registration,
    RegistrationChild,
    UserSession,
)
from .security import (
    access_code_hash,
    client_ip,
    new_access_code,
    new_token,
    token_hash,
    user_agent,
)
from .selectors import user_is_back_office

logger = logging.getLogger("portail.security")
Kind = AuditEvent.Kind

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Application d'authentification"
BACKUP_DEVICE_NAME = "Codes de secours"
API_TOKEN_PREFIX = "pf_"
EMAIL_CONFIRMATION_SALT = "accounts.email-confirmation"


class AccountError(Exception):
    """A refusal to show as is (in French) to the person who asked."""

    code = "invalid"

    def __init__(self, message, code=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidCredentials(AccountError):
    code = "invalid_credentials"


class InvalidCode(AccountError):
    code = "otp_invalid"


class SecondFactorWait(InvalidCode):
    """django-otp delays a device after each wrong code: say so, rather than refusing a
    right code typed too soon as if it were wrong."""

    code = "otp_wait"


class LinkInvalid(AccountError):
    """A link, code or token that is unknown, expired or already used."""


LINK_UNKNOWN = "Ce lien n'est pas valable. Vérifiez qu'il a été copié en entier."
LINK_EXPIRED = "Ce lien a expiré."
LINK_USED = "Ce lien a déjà été utilisé."


# --- Sign-in with lockout per (account, IP) ------------------------------------------


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


# --- Sessions ----------------------------------------------------------------------


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


@transaction.atomic
def user_deactivate(*, actor, user, request=None):
    """Deactivate an account: it can no longer sign in, its sessions and tokens end."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user_access_revoke(actor=actor, user=user, request=request)


def user_access_revoke(*, actor, user, request=None):
    """End the sessions and API tokens of a deactivated account, and journal it."""
    ended = user_sessions_end(user=user)
    revoked = api_tokens_revoke_all(user=user)
    audit_record(
        Kind.USER_DEACTIVATED,
        request=request,
        user=user,
        actor=actor,
        details={"sessions_ended": ended, "api_tokens_revoked": revoked},
    )
    return ended


@transaction.atomic
def user_erase(*, actor, user, request=None):
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
        request=request,
        user=user,
        actor=actor,
        details={"anonymised": True},
    )
    return user


@transaction.atomic
def family_access_erase(*, actor, family, users, request=None):
    """RGPD: the ways into the portal of an anonymised family go — its invitations (they
    hold e-mail addresses), the pré-inscription it came from, and each login in ``users``."""
    Invitation.objects.filter(guardian__family=family).delete()
    Registration.objects.filter(family=family).delete()
    for user in users:
        user_erase(actor=actor, user=user, request=request)


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


# --- Passwords ---------------------------------------------------------------------


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


# --- E-mail confirmation (new address, applicants, letter activations) -----------------


def _email_state(user):
    """Changes once the link is used (confirmation time), so each link works once."""
    value = f"{user.pk}|{user.email}|{user.email_confirmed_at}|{user.password}"
    return salted_hmac("accounts.email-state", value, algorithm="sha256").hexdigest()[:32]


def email_confirmation_link(*, user, email):
    token = signing.dumps(
        {"u": user.pk, "e": email, "s": _email_state(user)}, salt=EMAIL_CONFIRMATION_SALT
    )
    return absolute_url("espace_prive:accounts:email_confirm", token)


def _email_taken(email, *, except_user=None):
    others = get_user_model().objects.filter(email__iexact=email)
    if except_user is not None:
        others = others.exclude(pk=except_user.pk)
    return others.exists()


def email_confirmation_send(*, user, request=None):
    """Send a link that confirms the current address of ``user``."""
    send_mail_after_commit(
        to=user.email,
        subject="Confirmez votre adresse e-mail",
        template="email_confirm",
        context={"user": user, "link": email_confirmation_link(user=user, email=user.email)},
    )


def email_change_request(*, request, user, new_email):
    """Send a confirmation link to ``new_email``; the login changes once it is followed."""
    new_email = get_user_model().objects.normalize_email(new_email).lower()
    if new_email == user.email.lower():
        raise AccountError("C'est déjà votre adresse e-mail.")
    if _email_taken(new_email, except_user=user):
        raise AccountError("Cette adresse e-mail est déjà utilisée par un autre compte.")
    send_mail_after_commit(
        to=new_email,
        subject="Confirmez votre nouvelle adresse e-mail",
        template="email_change",
        context={"user": user, "link": email_confirmation_link(user=user, email=new_email)},
    )
    audit_record(
        Kind.EMAIL_CHANGE_REQUESTED,
        request=request,
        user=user,
        actor=user,
        details={"new_email": new_email},
    )


@transaction.atomic
def email_confirm(*, token, request=None):
    """Apply a confirmation link: the address becomes the login and is marked confirmed."""
    try:
        data = signing.loads(
            token, salt=EMAIL_CONFIRMATION_SALT, max_age=settings.EMAIL_CONFIRMATION_TIMEOUT
        )
    except signing.SignatureExpired:
        raise LinkInvalid(LINK_EXPIRED, code="expired") from None
    except signing.BadSignature:
        raise LinkInvalid(LINK_UNKNOWN, code="unknown") from None
    User = get_user_model()
    user = User.objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or not user.is_active:
        raise LinkInvalid(LINK_UNKNOWN, code="unknown")
    if data.get("s") != _email_state(user):
        raise LinkInvalid(LINK_USED, code="used")
    new_email = data["e"]
    if _email_taken(new_email, except_user=user):
        raise LinkInvalid(
            "Cette adresse e-mail est entre-temps devenue celle d'un autre compte.",
            code="taken",
        )
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email", "email_confirmed_at"])
    audit_record(
        Kind.EMAIL_CONFIRMED,
        request=request,
        user=user,
        actor=user,
        details={"old_email": old_email, "new_email": new_email} if old_email != new_email else {},
    )
    return user


# --- Invitations ---------------------------------------------------------------------


def _link_validity():
    return datetime.timedelta(days=settings.INVITATION_LINK_VALIDITY_DAYS)


def _code_validity():
    return datetime.timedelta(days=settings.INVITATION_CODE_VALIDITY_DAYS)


def _open_invitation(guardian):
    return (
        Invitation.objects.select_for_update()
        .filter(guardian=guardian, used_at__isnull=True)
        .first()
    )


def _check_guardian_invitable(guardian):
    if Guardian.objects.filter(pk=guardian.pk, user__isnull=False).exists():
        raise AccountError(f"{guardian.full_name} a déjà un compte sur le portail.")


@transaction.atomic
def invitation_send_email(*, actor, guardian, email=None, request=None):
    """Invite ``guardian`` by e-mail: a single-use link to choose a password.

    Sending again replaces the previous link, which stops working.
    """
    _check_guardian_invitable(guardian)
    email = get_user_model().objects.normalize_email(email or guardian.email).lower()
    if not email:
        raise AccountError(f"{guardian.full_name} n'a pas d'adresse e-mail.")
    if _email_taken(email):
        raise AccountError(f"L'adresse {email} est déjà celle d'un compte du portail.")
    token = new_token()
    now = timezone.now()
    invitation = _open_invitation(guardian) or Invitation(guardian=guardian, created_by=actor)
    invitation.channel = Invitation.Channel.EMAIL
    invitation.email = email
    invitation.secret_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + _link_validity()
    invitation.save()
    send_mail_after_commit(
        to=email,
        subject="Votre compte sur l'espace famille",
        template="invitation",
        context={
            "guardian": guardian,
            "link": absolute_url("espace_prive:accounts:invitation_accept", token),
            "expires_at": invitation.expires_at,
        },
    )
    audit_record(
        Kind.INVITATION_SENT,
        request=request,
        actor=actor,
        email=email,
        details={"channel": "email", "guardian": str(guardian.public_id)},
    )
    return invitation


@transaction.atomic
def invitation_prepare_letter(*, actor, guardian):
    """An invitation by post for a guardian without e-mail, to print later."""
    _check_guardian_invitable(guardian)
    invitation = _open_invitation(guardian)
    if invitation is None:
        invitation = Invitation.objects.create(
            guardian=guardian, channel=Invitation.Channel.LETTER, created_by=actor
        )
    return invitation


@transaction.atomic
def invitation_letters_issue(*, actor, invitations, request=None):
    """Give each letter invitation a new access code; returns ``[(invitation, code)]``.

    The codes exist only in the returned list (to print) — only their hash is kept, so
    printing again issues new codes and the previous letters stop working.
    """
    now = timezone.now()
    issued = []
    ids = [invitation.pk for invitation in invitations]
    for invitation in (
        Invitation.objects.select_for_update()
        .filter(pk__in=ids, used_at__isnull=True, channel=Invitation.Channel.LETTER)
        .select_related("guardian__family")
        .order_by("guardian__family__reference", "guardian__role")
    ):
        code = new_access_code()
        invitation.secret_hash = access_code_hash(code)
        invitation.sent_at = now
        invitation.expires_at = now + _code_validity()
        invitation.save(update_fields=["secret_hash", "sent_at", "expires_at"])
        audit_record(
            Kind.INVITATION_SENT,
            request=request,
            actor=actor,
            details={"channel": "courrier", "guardian": str(invitation.guardian.public_id)},
        )
        issued.append((invitation, code))
    return issued


def invitation_check_open(invitation, *, now=None):
    now = now or timezone.now()
    if invitation.used_at is not None:
        raise LinkInvalid(LINK_USED, code="used")
    if invitation.expires_at is None or invitation.expires_at <= now:
        raise LinkInvalid(LINK_EXPIRED, code="expired")
    if Guardian.objects.filter(pk=invitation.guardian_id, user__isnull=False).exists():
        raise LinkInvalid(LINK_USED, code="used")
    return invitation


def invitation_for_token(token):
    """The open e-mail invitation of this link, or ``LinkInvalid``."""
    invitation = (
        Invitation.objects.select_related("guardian__family")
        .filter(secret_hash=token_hash(token or ""), channel=Invitation.Channel.EMAIL)
        .first()
    )
    if invitation is None:
        raise LinkInvalid(LINK_UNKNOWN, code="unknown")
    return invitation_check_open(invitation)


CODE_UNKNOWN = "Ce code d'accès n'est pas valable. Vérifiez-le sur votre courrier."


def invitation_for_code(*, request, code):
    """The open letter invitation of this access code; wrong codes lock the IP for a while."""
    ip = client_ip(request)
    scope = throttle.Scope.ACCESS_CODE
    throttle.attempt_begin(scope=scope, identifier="", ip=ip)
    invitation = (
        Invitation.objects.select_related("guardian__family")
        .filter(secret_hash=access_code_hash(code), channel=Invitation.Channel.LETTER)
        .first()
    )
    if invitation is None:
        failure = throttle.attempt_failed(scope=scope, identifier="", ip=ip)
        audit_record(Kind.LOGIN_FAILED, request=request, details={"reason": "access_code_unknown"})
        _raise_if_locked(failure, request=request, scope=scope, identifier="", user=None)
        raise LinkInvalid(CODE_UNKNOWN, code="unknown")
    throttle.attempt_succeeded(scope=scope, identifier="", ip=ip)
    try:
        return invitation_check_open(invitation)
    except LinkInvalid as error:
        message = (
            "Ce code d'accès a déjà servi : connectez-vous avec votre adresse e-mail."
            if error.code == "used"
            else "Ce code d'accès a expiré. Demandez un nouveau courrier à la mairie."
        )
        raise LinkInvalid(message, code=error.code) from None


@transaction.atomic
def invitation_accept(*, invitation, password, email=None, request=None):
    """Create the guardian's login from an open invitation and link it to the guardian.

    By e-mail, the address is the invited one (confirmed by following the link); by
    letter, the guardian gives one, and a confirmation link is sent to it.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_open(invitation)
    guardian = invitation.guardian
    User = get_user_model()
    by_email = invitation.channel == Invitation.Channel.EMAIL
    email = User.objects.normalize_email(invitation.email if by_email else email).lower()
    if not email:
        raise AccountError("Indiquez votre adresse e-mail.")
    if _email_taken(email):
        raise AccountError("Cette adresse e-mail est déjà utilisée par un autre compte.")
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=guardian.first_name,
                last_name=guardian.last_name,
                email_confirmed_at=now if by_email else None,
            )
    except IntegrityError:
        raise AccountError("Cette adresse e-mail est déjà utilisée par un autre compte.") from None
    linked = Guardian.objects.filter(pk=guardian.pk, user__isnull=True).update(user=user)
    if not linked:
        raise LinkInvalid(LINK_USED, code="used")
    if not guardian.email:
        Guardian.objects.filter(pk=guardian.pk, email="").update(email=email)
    invitation.used_at = now
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    audit_record(
        Kind.INVITATION_USED,
        request=request,
        user=user,
        actor=user,
        details={"channel": invitation.channel, "guardian": str(guardian.public_id)},
    )
    if not by_email:
        email_confirmation_send(user=user, request=request)
    return user


PARTNER_NOT_IN_FILE = (
    "Le second responsable doit d'abord figurer dans votre dossier : ajoutez-le depuis "
    "« Mon compte » ; une fois votre demande validée par le service, vous pourrez l'inviter."
)


@transaction.atomic
def partner_invite(*, actor, family, first_name, last_name, civility="", email="", request=None):
    """Give the family's second guardian (conjoint) their own login.

    Staff may create the conjoint if the family has none; a family must first add them
    to its file through a validated request. Invites by e-mail when an address is
    given, otherwise prepares a letter (staff only print letters).
    """
    partner = Guardian.objects.filter(family=family, role=Guardian.Role.PARTNER).first()
    if partner is None and not getattr(actor, "is_staff", False):
        # A family adds a guardian to its file through a request staff validate
        # (espace_prive.demandes); only then can it give them a login.
        raise AccountError(PARTNER_NOT_IN_FILE)
    if partner is None:
        try:
            partner = family_services.guardian_add(
                actor=actor,
                family=family,
                role=Guardian.Role.PARTNER,
                first_name=first_name,
                last_name=last_name,
                civility=civility,
                email=email,
            )
        except ValidationError as error:
            raise AccountError(" ".join(error.messages)) from None
    elif partner.user_id:
        raise AccountError(f"{partner.full_name} a déjà son propre compte.")
    if email:
        email = get_user_model().objects.normalize_email(email).lower()
        if _email_taken(email) and not user_is_back_office(actor):
            if email == (actor.email or "").lower():  # their own: nothing to hide
                raise AccountError(
                    "C'est votre propre adresse e-mail : indiquez celle du second responsable."
                )
            return _partner_invite_existing_account(actor=actor, email=email, request=request)
        return invitation_send_email(actor=actor, guardian=partner, email=email, request=request)
    return invitation_prepare_letter(actor=actor, guardian=partner)


def _partner_invite_existing_account(*, actor, email, request):
    """A family invites an address that already has a login: it is not told so (no
    enumeration of accounts); the owner of the address is told by e-mail instead, and
    nothing is changed."""
    inviter = " ".join(part for part in (actor.first_name, actor.last_name) if part)
    send_mail_after_commit(
        to=email,
        subject="Invitation sur l'espace famille",
        template="invitation_existing_account",
        context={"inviter_name": inviter or actor.email},
    )
    logger.info("partner_invite_existing_account actor=%s", actor.pk)
    return None


# --- Import of existing families -----------------------------------------------------


@transaction.atomic
def families_import(*, actor, plan, request=None):
    """Create the families of a checked ``ImportPlan`` and invite their guardians.

    All or nothing. Families already present (same reference) are not in
    ``plan.to_create``: importing the same file again changes nothing.
    """
    if not plan.ok:
        raise AccountError("Le fichier contient des erreurs : rien n'a été importé.")
    summary = {"families": 0, "guardians": 0, "children": 0, "emails": 0, "letters": 0}
    try:
        for row in plan.to_create:
            family = family_services.family_create(
                actor=actor,
                reference=row.reference,
                address=row.address,
                address_complement=row.address_complement,
                postcode=row.postcode,
                city=row.city,
            )
            summary["families"] += 1
            guardians = []
            for item in row.guardians:
                guardians.append(
                    family_services.guardian_add(
                        actor=actor,
                        family=family,
                        role=item.role,
                        civility=item.civility,
                        first_name=item.first_name,
                        last_name=item.last_name,
                        email=item.email,
                        mobile_phone=item.phone,
                    )
                )
                summary["guardians"] += 1
            for child in row.children:
                family_services.child_add(
                    actor=actor,
                    family=family,
                    first_name=child.first_name,
                    last_name=child.last_name,
                    birth_date=child.birth_date,
                )
                summary["children"] += 1
            for guardian in guardians:
                if guardian.email:
                    invitation_send_email(actor=actor, guardian=guardian, request=request)
                    summary["emails"] += 1
                else:
                    invitation_prepare_letter(actor=actor, guardian=guardian)
                    summary["letters"] += 1
    except (ValidationError, IntegrityError) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        raise AccountError(
            f"Import interrompu ligne {row.line} ({row.reference}) : {' '.join(messages)} "
            "Rien n'a été importé."
        ) from None
    audit_record(
        Kind.FAMILIES_IMPORTED,
        request=request,
        actor=actor,
        details={**summary, "unchanged": len(plan.unchanged)},
    )
    return summary


# --- Pré-inscriptions ----------------------------------------------------------------


def _reusable_applicant(user):
    return (
        not user.is_active
        and not user.is_staff
        and not Guardian.objects.filter(user=user).exists()
        and user.registrations.exists()
        and not user.registrations.exclude(status=Registration.Status.REFUSED).exists()
    )


def _registration_for_existing_account(*, email, password, request):
    """A pré-inscription with the address of an existing account: nothing is created and
    the answer is the same as for a new address (no enumeration of accounts); the owner
    of the address is told by e-mail."""
    make_password(password)  # the same slow hash as a new account: no timing difference
    send_mail_after_commit(
        to=email,
        subject="Votre demande de pré-inscription",
        template="registration_existing_account",
        context={
            "login_url": absolute_url("espace_prive:accounts:login"),
            "reset_url": absolute_url("espace_prive:accounts:password_reset"),
        },
    )
    logger.info("registration_for_existing_account ip=%s", client_ip(request) if request else "-")
    return None


@transaction.atomic
def registration_submit(*, email, password, children, request=None, **fields):
    """A new family asks for an account: the applicant's login and the request.

    ``children`` is a list of dicts (first_name, last_name, birth_date). The login can
    only follow the request until staff accept it. When the address already belongs to
    an account, nothing is created, the owner is told by e-mail and ``None`` is
    returned: the caller answers exactly as for a new request.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    if not children:
        raise AccountError("Indiquez au moins un enfant.")
    user = _account_for_email(email)
    if user is not None and not _reusable_applicant(user):
        return _registration_for_existing_account(email=email, password=password, request=request)
    names = {"first_name": fields["first_name"], "last_name": fields["last_name"]}
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(email=email, password=password, **names)
        except IntegrityError:  # created meanwhile by a concurrent request
            return _registration_for_existing_account(
                email=email, password=password, request=request
            )
    else:
        user.set_password(password)
        user.is_active = True
        for name, value in names.items():
            setattr(user, name, value)
        user.save()
    registration = Registration.objects.create(user=user, email=email, **fields)
    RegistrationChild.objects.bulk_create(
        RegistrationChild(registration=registration, **child) for child in children
    )
    audit_record(
        Kind.REGISTRATION_SUBMITTED,
        request=request,
        user=user,
        actor=user,
        details={"registration": str(registration.public_id)},
    )
    send_mail_after_commit(
        to=email,
        subject="Votre demande de pré-inscription",
        template="registration_received",
        context={
            "registration": registration,
            "link": email_confirmation_link(user=user, email=email),
            "status_url": absolute_url("espace_prive:accounts:registration_status"),
        },
    )
    return registration


def _registration_for_decision(registration):
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_pending:
        raise AccountError(
            f"Cette demande a déjà été traitée ({registration.get_status_display().lower()})."
        )
    return registration


@transaction.atomic
def registration_accept(*, actor, registration, request=None):
    """Accept a pré-inscription: the family, its responsable and children are created and
    the applicant's login becomes a normal family login; a welcome e-mail leaves."""
    registration = _registration_for_decision(registration)
    user = registration.user
    if user is None or not user.is_active:
        raise AccountError("Le compte du demandeur n'existe plus ou est désactivé.")
    if not user.email_confirmed:
        raise AccountError(
            "Le demandeur n'a pas encore confirmé son adresse e-mail : la demande ne peut "
            "pas encore être acceptée."
        )
    try:
        family = family_services.family_create(
            actor=actor,
            address=registration.address,
            address_complement=registration.address_complement,
            postcode=registration.postcode,
            city=registration.city,
        )
        family_services.guardian_add(
            actor=actor,
            family=family,
            role=Guardian.Role.PRIMARY,
            first_name=registration.first_name,
            last_name=registration.last_name,
            civility=registration.civility,
            email=user.email,
            mobile_phone=registration.mobile_phone,
            user=user,
        )
        for child in registration.children.all():
            family_services.child_add(
                actor=actor,
                family=family,
                first_name=child.first_name,
                last_name=child.last_name,
                birth_date=child.birth_date,
            )
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from None
    registration.status = Registration.Status.ACCEPTED
    registration.decided_at = timezone.now()
    registration.decided_by = actor
    registration.family = family
    registration.save(update_fields=["status", "decided_at", "decided_by", "family"])
    audit_record(
        Kind.REGISTRATION_ACCEPTED,
        request=request,
        user=user,
        actor=actor,
        details={"registration": str(registration.public_id), "family": family.reference},
    )
    send_mail_after_commit(
        to=user.email,
        subject="Votre compte est activé",
        template="registration_accepted",
        context={
            "registration": registration,
            "family": family,
            "login_url": absolute_url("espace_prive:accounts:login"),
        },
    )
    return registration


@transaction.atomic
def registration_refuse(*, actor, registration, reason, request=None):
    """Refuse a pré-inscription with a reason, e-mailed to the applicant, whose login is
    then deactivated (a new request with the same address remains possible)."""
    reason = (reason or "").strip()
    if not reason:
        raise AccountError("Indiquez le motif du refus : il est envoyé au demandeur.")
    registration = _registration_for_decision(registration)
    registration.status = Registration.Status.REFUSED
    registration.refusal_reason = reason
    registration.decided_at = timezone.now()
    registration.decided_by = actor
    registration.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
    user = registration.user
    audit_record(
        Kind.REGISTRATION_REFUSED,
        request=request,
        user=user,
        actor=actor,
        details={"registration": str(registration.public_id)},
    )
    send_mail_after_commit(
        to=registration.email,
        subject="Votre demande de pré-inscription",
        template="registration_refused",
        context={
            "registration": registration,
            "register_url": absolute_url("espace_prive:accounts:register"),
        },
    )
    if user is not None and not Guardian.objects.filter(user=user).exists():
        user_deactivate(actor=actor, user=user, request=request)
    return registration


# --- Second factor (TOTP + backup codes) ----------------------------------------------


def totp_device_pending(*, user):
    """The unconfirmed TOTP device being enrolled (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def backup_codes_generate(*, user, request=None):
    """Ten new single-use backup codes (the previous ones stop working)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(Kind.BACKUP_CODES_GENERATED, request=request, user=user, actor=user)
    return codes


@transaction.atomic
def totp_enrol_confirm(*, request, user, device, code):
    """Confirm a pending TOTP device with a code from the app; returns the backup codes.

    A previous device is replaced; the session counts as verified by the new one.
    """
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(pk=device.pk, user=user, confirmed=False)
        .first()
    )
    if device is None:  # confirmed meanwhile, from another tab
        raise InvalidCode(
            "Cette activation a déjà été confirmée ou remplacée : rechargez la page pour continuer."
        )
    if not device.verify_token("".join((code or "").split())):
        raise InvalidCode(
            "Ce code ne correspond pas. Vérifiez l'heure de votre téléphone et saisissez "
            "le code affiché maintenant."
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_generate(user=user, request=request)
    # Sessions opened with the password alone end: they would not ask for the code.
    user_sessions_end(user=user, keep_session_key=request.session.session_key)
    audit_record(Kind.OTP_ENABLED, request=request, user=user, actor=user)
    return device, codes


def second_factor_disable(*, request, user, password):
    """Turn two-factor authentication off after the password is given again.

    Staff cannot: it is mandatory for them (they may enrol a new phone instead). The
    password is checked outside the transaction, so that a wrong one counts towards the
    lockout and stays in the journal.
    """
    from .selectors import user_needs_second_factor

    if user_needs_second_factor(user):
        raise AccountError(
            "La double authentification est obligatoire pour le personnel : elle ne peut "
            "pas être désactivée (vous pouvez enregistrer un nouveau téléphone)."
        )
    password_reauthenticate(
        request=request, user=user, password=password, purpose="second_factor_disable"
    )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        api_tokens_revoke_all(user=user)
        user_sessions_end(user=user, keep_session_key=request.session.session_key)
        audit_record(Kind.OTP_DISABLED, request=request, user=user, actor=user)


# --- API tokens ---------------------------------------------------------------------


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


def api_token_revoke(*, actor, token, request=None):
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            Kind.API_TOKEN_REVOKED,
            request=request,
            user=token.user,
            actor=actor,
            details={"token": str(token.public_id)},
        )
    return bool(revoked)


def api_tokens_revoke_all(*, user):
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
