"""The family's agenda address (iCal): created or renewed by a guardian; renewing
replaces the token at once, so the old address stops working (404)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import CalendarFeed
from ..models.feeds import new_feed_token


def calendar_feed_renew(*, actor, family, now=None):
    """A new secret address for ``family``'s agenda (the previous one is revoked)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Connectez-vous pour gérer l'agenda en ligne.")
    if family.is_anonymised:
        raise ValidationError("Ce dossier famille est clos.")
    if not family.guardians.filter(user=actor).exists():
        raise PermissionDenied("Ce dossier famille n'est pas le vôtre.")
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(family=family)
        feed.token = new_feed_token()
        feed.created_at = now or timezone.now()
        feed.created_by = actor
        feed.save()
    return feed
