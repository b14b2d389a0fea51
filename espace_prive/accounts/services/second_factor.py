"""Second factor: TOTP enrolment, backup codes, disabling."""

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..audit import audit_record
from ..models import AuditEvent
from ..selectors import user_needs_second_factor
from .api_tokens import api_tokens_revoke_all
from .base import BACKUP_CODE_COUNT, BACKUP_DEVICE_NAME, TOTP_DEVICE_NAME, AccountError, InvalidCode
from .sessions import user_sessions_end
from .signin import password_reauthenticate

Kind = AuditEvent.Kind


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
