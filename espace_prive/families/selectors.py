"""Reads of the family domain. Every private lookup is scoped to the family."""

from django.core.exceptions import ValidationError
from django.db.models import Case, Prefetch, Q, Value, When
from django.http import Http404

from .models import Child, Family, Guardian, HealthAccessLog, HealthRecord, PickupPerson

PRIMARY_FIRST = Case(When(role=Guardian.Role.PRIMARY, then=Value(0)), default=Value(1))


def family_for_user(user):
    """The family a signed-in guardian belongs to, or None (staff, pending applicants)."""
    if not user.is_authenticated:
        return None
    return (
        Family.objects.filter(guardians__user=user, anonymised_at__isnull=True)
        .prefetch_related(Prefetch("guardians", queryset=Guardian.objects.order_by(PRIMARY_FIRST)))
        .first()
    )


def _get_or_404(queryset, public_id, message):
    try:
        return queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404(message) from error


def get_child_for_family(family, public_id):
    """The family's own child, or 404 — never another family's."""
    child = _get_or_404(
        Child.objects.select_related("school", "health_record").filter(family=family),
        public_id,
        "Enfant introuvable.",
    )
    child.family = family  # the row just matched: not read again
    return child


def get_guardian_for_family(family, public_id):
    return _get_or_404(
        Guardian.objects.filter(family=family), public_id, "Responsable introuvable."
    )


def get_pickup_person_for_child(child, public_id):
    return _get_or_404(PickupPerson.objects.filter(child=child), public_id, "Personne introuvable.")


def pickup_persons_for_child(child):
    """The persons allowed to pick the child up, by name."""
    return PickupPerson.objects.filter(child=child).order_by("last_name", "first_name")


def children_for_family(family, *, pickup_persons=True):
    """The family's children, eldest first (``pickup_persons=False``: without the persons
    allowed to pick them up, one query less where a page does not show them)."""
    children = (
        Child.objects.filter(family=family)
        .select_related("school", "health_record")
        .order_by("birth_date", "first_name")
    )
    if pickup_persons:
        children = children.prefetch_related(
            Prefetch(
                "pickup_persons",
                queryset=PickupPerson.objects.order_by("last_name", "first_name"),
            )
        )
    return children


def guardians_for_family(family):
    """Responsable 1 first, then the conjoint."""
    return Guardian.objects.filter(family=family).select_related("user").order_by(PRIMARY_FIRST)


def health_record_for_child(child):
    """The child's health record, or an unsaved empty one (nothing entered yet)."""
    try:
        return child.health_record
    except HealthRecord.DoesNotExist:
        return HealthRecord(child=child)


def health_accesses_for_child(child):
    return HealthAccessLog.objects.filter(child=child).select_related("user")


def staff_families(*, query=""):
    queryset = Family.objects.prefetch_related(
        Prefetch("guardians", queryset=Guardian.objects.order_by(PRIMARY_FIRST))
    ).order_by("reference")
    if query:
        queryset = queryset.filter(
            Q(reference__icontains=query)
            | Q(guardians__last_name__icontains=query)
            | Q(guardians__email__icontains=query)
            | Q(children__first_name__icontains=query)
        ).distinct()
    return queryset


def get_family(public_id):
    """Staff lookup of a family by its public id (404 when unknown)."""
    return _get_or_404(Family.objects.all(), public_id, "Famille introuvable.")


# Who may open which child beyond the family file's own right: the apps that give
# staff a narrower view register a scope here (attendance: an animator's sites), so
# that this app, which every other one builds on, imports none of them.
_staff_child_scopes = []


def register_staff_child_scope(scope):
    """``scope(user)``: ``None`` when ``user`` may open every child, else a queryset of
    the pks of the children they may open (possibly empty)."""
    if scope not in _staff_child_scopes:
        _staff_child_scopes.append(scope)


def children_for_staff(user):
    """The children a back-office user may open in the family file's admin pages.

    Town-wide staff (the family file's ``view_child`` right, or a registered scope
    answering ``None``, like the attendance's ``all_sites``) see every child. Anyone
    else — an « Animateur » assigned to sites, who may hold the health right for the
    daily lists — only the children their scopes give: the health pages of any other
    child are a 404."""
    from .permissions import VIEW_CHILD

    children = Child.objects.select_related("family", "school", "health_record")
    if user.has_perm(VIEW_CHILD):
        return children
    allowed = Q(pk__in=[])
    for scope in _staff_child_scopes:
        pks = scope(user)
        if pks is None:
            return children
        allowed |= Q(pk__in=pks)
    return children.filter(allowed)


def get_child_for_staff(user, public_id):
    """Staff lookup of a child by its public id, within ``children_for_staff`` (404
    when unknown or out of the user's scope)."""
    return _get_or_404(children_for_staff(user), public_id, "Enfant introuvable.")
