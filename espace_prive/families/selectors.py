"""Reads of the family domain. Every private lookup is scoped to the family."""

from django.core.exceptions import ValidationError
from django.http import Http404

from .models import Child, Family


def family_for_user(user):
    """The family a signed-in guardian belongs to, or None (staff, pending applicants)."""
    if not user.is_authenticated:
        return None
    return Family.objects.filter(guardians__user=user).first()


def get_child_for_family(family, public_id):
    """The family's own child, or 404 — never another family's."""
    try:
        return Child.objects.select_related("school").get(family=family, public_id=public_id)
    except (Child.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404("Enfant introuvable.") from error


def children_for_family(family):
    return Child.objects.filter(family=family).select_related("school").order_by("birth_date")
