"""Reads of the accounts domain."""

from django.db.models import Count, Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from espace_prive.families.models import Guardian

from .models import Invitation, Registration

ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"


def user_is_back_office(user):
    """Staff, superusers and anyone who may open the Wagtail admin."""
    if not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or user.has_perm(ADMIN_ACCESS_PERMISSION))


def user_needs_second_factor(user):
    """Two-factor authentication is mandatory for every back-office user."""
    return user_is_back_office(user)


def user_has_second_factor(user):
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def user_is_verified(user):
    """True when this session passed a second factor (set by django-otp's middleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def backup_codes_remaining(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def user_is_applicant(user):
    """A login opened by a pré-inscription, with no family yet: it follows its request only."""
    if not user.is_authenticated or user_is_back_office(user):
        return False
    if Guardian.objects.filter(user=user).exists():
        return False
    return Registration.objects.filter(user=user).exists()


def latest_registration_for_user(user):
    return (
        Registration.objects.filter(user=user)
        .prefetch_related("children")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def guardian_for_user(user):
    return Guardian.objects.select_related("family").filter(user=user).first()


def partner_for_family(family):
    return Guardian.objects.filter(family=family, role=Guardian.Role.PARTNER).first()


def registrations_for_queue(*, status=Registration.Status.PENDING):
    queryset = Registration.objects.select_related("user", "decided_by").annotate(
        children_count=Count("children")
    )
    if status:
        queryset = queryset.filter(status=status)
    order = "submitted_at" if status == Registration.Status.PENDING else "-submitted_at"
    return queryset.order_by(order)


def registration_for_review(public_id):
    return (
        Registration.objects.select_related("user", "decided_by", "family")
        .prefetch_related("children")
        .get(public_id=public_id)
    )


def invitations_for_admin(*, state=None, channel=None, query=None):
    now = timezone.now()
    queryset = Invitation.objects.select_related("guardian__family", "used_by")
    if channel:
        queryset = queryset.filter(channel=channel)
    if query:
        queryset = queryset.filter(
            Q(guardian__family__reference__icontains=query)
            | Q(guardian__last_name__icontains=query)
            | Q(email__icontains=query)
        )
    states = {
        Invitation.State.USED: Q(used_at__isnull=False),
        Invitation.State.TO_PRINT: Q(used_at__isnull=True, secret_hash__isnull=True),
        Invitation.State.EXPIRED: Q(
            used_at__isnull=True, secret_hash__isnull=False, expires_at__lte=now
        ),
        Invitation.State.SENT: Q(
            used_at__isnull=True, secret_hash__isnull=False, expires_at__gt=now
        ),
    }
    if state in states:
        queryset = queryset.filter(states[state])
    return queryset.order_by("-created_at", "-pk")


def letters_to_print():
    return Invitation.objects.filter(
        channel=Invitation.Channel.LETTER, used_at__isnull=True, secret_hash__isnull=True
    ).select_related("guardian__family")
