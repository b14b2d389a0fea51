"""Which e-mails each guardian wants (issue 10.6).

Each login chooses for itself (a guardian's choice does not change the other's). Kinds
outside ``NotificationTopic`` — the account and its security — are always sent. The
filter works on addresses, so that the shared ``notify()`` can apply it to whatever
recipients it is given.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from .models import NotificationPreference, NotificationTopic


def is_optional(kind):
    return kind in NotificationTopic.values


def preferences_for(user):
    """``{kind: enabled}`` for every optional kind (one query)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind: chosen.get(kind, True) for kind in NotificationTopic.values}


def preferences_update(*, actor, values):
    """Record ``actor``'s choices (``{kind: bool}``); unknown kinds are refused."""
    unknown = sorted(set(values) - set(NotificationTopic.values))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Ces e-mails ne peuvent pas être désactivés."))
    with transaction.atomic():
        for kind, enabled in values.items():
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"enabled": bool(enabled)}
            )
    return preferences_for(actor)


def wanted_addresses(addresses, kind):
    """``addresses`` minus those of logins that turned ``kind`` off (one query).

    An address is a login's own, or the address on file of that login's guardian.
    """
    addresses = list(addresses)
    if not is_optional(kind) or not addresses:
        return addresses
    lowered = {address.lower() for address in addresses}
    refusals = (
        NotificationPreference.objects.filter(kind=kind, enabled=False)
        .annotate(login=Lower("user__email"), on_file=Lower("user__guardian__email"))
        .filter(Q(login__in=lowered) | Q(on_file__in=lowered))
        .values_list("login", "on_file")
    )
    blocked = {address for row in refusals for address in row if address}
    return [address for address in addresses if address.lower() not in blocked]
