"""Pré-inscriptions: submission by an applicant, staff decision."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from espace_prive.decisions import lock_pending
from espace_prive.families import services as family_services
from espace_prive.families.models import Guardian

from ..audit import audit_record
from ..emails import absolute_url, send_mail_after_commit
from ..models import (
    AuditEvent,
    Registration,
    RegistrationChild,
)
from ..security import (
    client_ip,
)
from .base import AccountError
from .email_change import email_confirmation_link
from .erasure import user_deactivate
from .signin import _account_for_email

logger = logging.getLogger("portail.security")
Kind = AuditEvent.Kind


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


def _already_decided(registration):
    return AccountError(
        f"Cette demande a déjà été traitée ({registration.get_status_display().lower()})."
    )


@transaction.atomic
def registration_accept(*, actor, registration, ip=None, user_agent=""):
    """Accept a pré-inscription: the family, its responsable and children are created and
    the applicant's login becomes a normal family login; a welcome e-mail leaves."""
    registration = lock_pending(Registration, registration.pk, already_decided=_already_decided)
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
    written = registration.decide(Registration.Status.ACCEPTED, actor=actor, family=family)
    registration.save(update_fields=written)
    audit_record(
        Kind.REGISTRATION_ACCEPTED,
        ip=ip,
        user_agent=user_agent,
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
def registration_refuse(*, actor, registration, reason, ip=None, user_agent=""):
    """Refuse a pré-inscription with a reason, e-mailed to the applicant, whose login is
    then deactivated (a new request with the same address remains possible)."""
    reason = (reason or "").strip()
    if not reason:
        raise AccountError("Indiquez le motif du refus : il est envoyé au demandeur.")
    registration = lock_pending(Registration, registration.pk, already_decided=_already_decided)
    written = registration.decide(Registration.Status.REFUSED, actor=actor, refusal_reason=reason)
    registration.save(update_fields=written)
    user = registration.user
    audit_record(
        Kind.REGISTRATION_REFUSED,
        ip=ip,
        user_agent=user_agent,
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
        user_deactivate(actor=actor, user=user, ip=ip, user_agent=user_agent)
    return registration
