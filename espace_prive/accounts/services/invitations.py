"""Invitations of guardians: e-mail links, letters with access codes, partners."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from espace_prive.families import services as family_services
from espace_prive.families.models import Guardian

from .. import throttle
from ..audit import audit_record
from ..emails import absolute_url, send_mail_after_commit
from ..models import (
    AuditEvent,
    Invitation,
)
from ..security import (
    access_code_hash,
    client_ip,
    new_access_code,
    new_token,
    token_hash,
)
from ..selectors import user_is_back_office
from .base import LINK_EXPIRED, LINK_UNKNOWN, LINK_USED, AccountError, LinkInvalid
from .email_change import _email_taken, email_confirmation_send
from .signin import _raise_if_locked

logger = logging.getLogger("portail.security")
Kind = AuditEvent.Kind


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
def invitation_send_email(*, actor, guardian, email=None, ip=None, user_agent=""):
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
        ip=ip,
        user_agent=user_agent,
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
def invitation_letters_issue(*, actor, invitations, ip=None, user_agent=""):
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
            ip=ip,
            user_agent=user_agent,
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
def partner_invite(
    *, actor, family, first_name, last_name, civility="", email="", ip=None, user_agent=""
):
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
            return _partner_invite_existing_account(actor=actor, email=email)
        return invitation_send_email(
            actor=actor, guardian=partner, email=email, ip=ip, user_agent=user_agent
        )
    return invitation_prepare_letter(actor=actor, guardian=partner)


def _partner_invite_existing_account(*, actor, email):
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
