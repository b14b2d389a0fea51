"""E-mail confirmation: new address, applicants, letter activations."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..audit import audit_record
from ..emails import absolute_url, send_mail_after_commit
from ..models import AuditEvent
from .base import (
    EMAIL_CONFIRMATION_SALT,
    LINK_EXPIRED,
    LINK_UNKNOWN,
    LINK_USED,
    AccountError,
    LinkInvalid,
)

Kind = AuditEvent.Kind


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
