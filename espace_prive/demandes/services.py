"""Writes of family requests: propose a change, accept it, refuse it, withdraw it.

A request holds a field-level diff of one section of the family file (see
``espace_prive.families.sections``). Accepting applies it in one transaction, after
locking the request and the changed row; if a field no longer has the value the family
saw, the request is flagged as a conflict and nothing is applied.
"""

import copy
import datetime
import logging
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from espace_prive.decisions import lock_pending
from espace_prive.families import sections as family_sections
from espace_prive.families.models import Guardian, HealthRecord
from espace_prive.families.permissions import VIEW_HEALTH_RECORD
from espace_prive.families.sections import Operation, Scope
from espace_prive.messaging.models import NotificationTopic
from espace_prive.notifications import absolute_url, family_addresses, notify

from .models import ChangeRequest, RequestState
from .permissions import DECIDE_REQUESTS

logger = logging.getLogger(__name__)


class RequestAlreadyDecided(Exception):
    """Another decision was taken first (or the family withdrew the request)."""

    def __init__(self, change_request):
        self.change_request = change_request
        super().__init__(
            f"Cette demande a déjà été traitée ({change_request.get_state_display().lower()})."
        )


class RequestConflict(Exception):
    """The file changed since the family asked: the request cannot be applied as is."""


MANDATE_CONFIRMATION_MESSAGE = (
    "Cette demande modifie les coordonnées bancaires d'un mandat SEPA en cours : "
    "confirmez que le mandat prend fin pour l'accepter, ou refusez-la."
)


# --- Creating a request --------------------------------------------------------------------


def _pending_file_name(public_id, field_name, content):
    suffix = PurePosixPath(content.name or "").suffix.lower() or ".bin"
    return f"demandes/{public_id}/{field_name}{suffix}"


def _check_targets(*, family, section, operation, guardian, child, pickup_person):
    """The objects a request names must be the family's own and fit the section."""
    if guardian is not None and guardian.family_id != family.pk:
        raise PermissionDenied("Ce responsable n'appartient pas à la famille.")
    if child is not None and child.family_id != family.pk:
        raise PermissionDenied("Cet enfant n'appartient pas à la famille.")
    if pickup_person is not None and (child is None or pickup_person.child_id != child.pk):
        raise PermissionDenied("Cette personne n'est pas autorisée pour cet enfant.")
    if not section.allows(operation):
        raise ValidationError(f"La rubrique « {section.label} » ne permet pas cette opération.")
    named = {"guardian": guardian, "child": child, "pickup_person": pickup_person}
    if any(named[name] is None for name in family_sections.target_names(section, operation)):
        raise ValidationError("La demande ne précise pas ce qu'elle modifie.")


def _validate_candidate(section, candidate, changed_values):
    """Run the model's validation (validators, constraints) on the proposed values."""
    for name, value in changed_values.items():
        field = section.field(name)
        if name in section.file_fields:
            continue
        setattr(candidate, field.attname if field.is_relation else name, value)
    # Links set by the service stay validated: constraints such as "one child of that name
    # and birth date per family" need them.
    checked = (set(section.fields) - set(section.file_fields)) | {"family", "child", "role"}
    exclude = {field.name for field in candidate._meta.concrete_fields if field.name not in checked}
    candidate.full_clean(exclude=exclude)


def _python(section, name, value):
    field = section.field(name)
    if field.is_relation and hasattr(value, "pk"):
        return value.pk
    return value


def request_create(
    *,
    actor,
    family,
    section,
    values=None,
    operation=Operation.UPDATE,
    guardian=None,
    child=None,
    pickup_person=None,
):
    """Record a family's proposed change of one section as a request holding the diff.

    ``values`` maps fields of the section to their new Python values (a file is a
    ``File`` to store, or ``""`` to remove it); fields left out keep their value. Raises
    ``ValidationError`` (in French) when a value is invalid, when nothing changes or when
    a request for the same section is already pending. Sections listed in
    ``settings.DEMANDES_AUTO_APPLY_SECTIONS`` are applied at once.
    """
    section = family_sections.get_section(section) if isinstance(section, str) else section
    values = dict(values or {})
    if family.is_anonymised:
        raise ValidationError("Ce dossier famille est clos.")
    _check_targets(
        family=family,
        section=section,
        operation=operation,
        guardian=guardian,
        child=child,
        pickup_person=pickup_person,
    )
    unknown = set(values) - set(section.fields)
    if unknown:
        raise ValidationError(
            dict.fromkeys(sorted(unknown), "Ce champ n'existe pas dans cette rubrique.")
        )
    if (
        section.key == "guardian_new"
        and family.guardians.filter(role=Guardian.Role.PARTNER).exists()
    ):
        raise ValidationError("Le second responsable est déjà enregistré pour ce foyer.")

    public_id = uuid.uuid4()
    changes = {}
    if operation == Operation.CREATE:
        candidate = family_sections.resolve_target(section, operation, family=family, child=child)
        for name, value in values.items():
            if value is None or value == "":
                continue
            changes[name] = {"old": None, "new": _python(section, name, value)}
    elif operation == Operation.DELETE:
        current = family_sections.resolve_target(
            section,
            operation,
            family=family,
            guardian=guardian,
            child=child,
            pickup_person=pickup_person,
        )
        for name in section.fields:
            changes[name] = {"old": family_sections.current_json(current, name), "new": None}
        candidate = None
    else:
        current = family_sections.resolve_target(
            section,
            operation,
            family=family,
            guardian=guardian,
            child=child,
            pickup_person=pickup_person,
        )
        for name, value in values.items():
            field = section.field(name)
            old = family_sections.current_json(current, name)
            if name in section.file_fields:
                if value is None:
                    continue
                if value == "" and not old:
                    continue
                changes[name] = {"old": old, "new": value}
                continue
            new = family_sections.to_json(field, _python(section, name, value))
            if new != old:
                changes[name] = {"old": old, "new": _python(section, name, value)}
        candidate = copy.copy(current)
    if not changes:
        raise ValidationError(
            "Aucune modification : les valeurs saisies sont identiques aux valeurs actuelles.",
            code="no_change",
        )

    if candidate is not None:
        _validate_candidate(
            section,
            candidate,
            {
                name: change["new"]
                for name, change in changes.items()
                if name not in section.file_fields
            },
        )

    # JSON forms and displays; files go to the private storage under the request's id.
    stored_files = []
    try:
        for name, change in changes.items():
            field = section.field(name)
            if name in section.file_fields and change["new"] not in (None, ""):
                stored = storages["private"].save(
                    _pending_file_name(public_id, name, change["new"]), change["new"]
                )
                stored_files.append(stored)
                change["new"] = stored
            elif operation != Operation.DELETE:
                change["new"] = family_sections.to_json(field, change["new"])
            change["old_display"] = (
                family_sections.display_json(field, change["old"])
                if operation != Operation.CREATE
                else ""
            )
            change["new_display"] = (
                family_sections.display_json(field, change["new"])
                if operation != Operation.DELETE
                else ""
            )
        with transaction.atomic():
            change_request = ChangeRequest(
                public_id=public_id,
                family=family,
                section=section.key,
                operation=operation,
                guardian=guardian if section.scope == Scope.GUARDIAN else None,
                child=child if section.scope in (Scope.CHILD, Scope.HEALTH, Scope.PICKUP) else None,
                pickup_person=pickup_person,
                target_key=""
                if operation == Operation.CREATE
                else family_sections.target_key(
                    section,
                    family=family,
                    guardian=guardian,
                    child=child,
                    pickup_person=pickup_person,
                ),
                changes=changes,
                created_by=actor,
            )
            try:
                with transaction.atomic():
                    change_request.save()
            except IntegrityError as error:
                if ChangeRequest.objects.filter(
                    section=section.key,
                    target_key=change_request.target_key,
                    state=RequestState.PENDING,
                ).exists():
                    raise ValidationError(
                        "Une demande est déjà en attente de validation pour cette rubrique : "
                        "attendez la réponse du service ou annulez-la pour en faire une nouvelle.",
                        code="already_pending",
                    ) from error
                raise
            if (
                operation == Operation.UPDATE
                and section_applies_at_once(section)
                and not change_request.ends_sepa_mandate  # staff confirm the mandate ends
            ):
                _auto_apply(change_request)
    except BaseException:
        for name in stored_files:
            storages["private"].delete(name)
        raise
    return change_request


def section_applies_at_once(section):
    """Whether updates of ``section`` skip staff validation.

    Only sections listed in ``settings.DEMANDES_AUTO_APPLY_SECTIONS``, and never one that
    holds the quotient familial (the system check ``demandes.E003`` refuses that setting).
    """
    section = family_sections.get_section(section) if isinstance(section, str) else section
    return section.key in settings.DEMANDES_AUTO_APPLY_SECTIONS and not section.always_validated


def _auto_apply(change_request):
    """Apply a request of a section configured to need no validation."""
    try:
        with transaction.atomic():
            _apply(change_request)
    except RequestConflict as conflict:  # pragma: no cover - the diff was computed just now
        raise ValidationError(str(conflict)) from conflict
    written = change_request.decide(RequestState.ACCEPTED, actor=None, auto_applied=True)
    change_request.save(update_fields=[*written, "child", "guardian"])
    _after_decision(change_request, notify=False)


# --- Deciding ------------------------------------------------------------------------------


def _require_decider(actor, change_request):
    if not actor.has_perm(DECIDE_REQUESTS):
        raise PermissionDenied("Vous n'avez pas le droit de traiter les demandes.")
    if change_request.is_health and not actor.has_perm(VIEW_HEALTH_RECORD):
        raise PermissionDenied(
            "Cette demande porte sur des données sanitaires : il faut la permission de les "
            "consulter pour la traiter."
        )


def _lock_pending(change_request):
    """The request, locked and still pending, or ``RequestAlreadyDecided``."""
    return lock_pending(ChangeRequest, change_request.pk, already_decided=RequestAlreadyDecided)


def _target(change_request, *, lock=False):
    """The row the request changes (locked), or the new row it creates."""
    return family_sections.resolve_target(
        change_request.section_def,
        change_request.operation,
        family=change_request.family,
        guardian=change_request.guardian,
        child=change_request.child,
        pickup_person=change_request.pickup_person,
        lock=lock,
    )


def _conflict_message(section, names):
    labels = ", ".join(section.field_label(name).lower() for name in names)
    return (
        f"Les informations ont été modifiées depuis votre demande ({labels}) : elle n'a pas "
        "été appliquée. Vérifiez les valeurs actuelles et refaites la demande si besoin."
    )


def _end_mandate(change_request, family, *, confirmed):
    """Bank details of an active SEPA mandate change: the mandate ends, once staff have
    confirmed it, and the request records which mandate it ended."""
    if not confirmed:
        raise ValidationError(
            {"end_mandate": MANDATE_CONFIRMATION_MESSAGE}, code="mandate_confirmation"
        )
    change_request.ended_mandate_reference = family.sepa_mandate_reference
    change_request.ended_mandate_signed_on = family.sepa_mandate_signed_on
    family.sepa_mandate_reference = ""
    family.sepa_mandate_signed_on = None


def _apply(change_request, *, qf_valid_from=None, qf_valid_to=None, end_mandate=False):
    """Apply the diff to the locked rows, or raise RequestConflict (nothing written).

    Changing the bank details of an active SEPA mandate needs ``end_mandate`` (else
    ``ValidationError``, nothing written)."""
    section = change_request.section_def
    changes = change_request.changes
    if change_request.operation == Operation.CREATE:
        if (
            section.key == "guardian_new"
            and Guardian.objects.filter(
                family_id=change_request.family_id, role=Guardian.Role.PARTNER
            ).exists()
        ):
            raise RequestConflict("Le second responsable a été enregistré entre-temps.")
        row = _target(change_request)
        for name, change in changes.items():
            family_sections.assign(row, name, change["new"])
        try:
            row.full_clean()
        except ValidationError as error:
            raise RequestConflict(
                "L'ajout n'est plus possible : " + " ".join(error.messages)
            ) from error
        row.save()
        if section.key == "child_new":
            HealthRecord.objects.create(child=row)
            change_request.child = row
        elif section.key == "guardian_new":
            change_request.guardian = row
        else:
            change_request.pickup_person = row
        return row

    target = _target(change_request, lock=True)
    if target is None:
        raise RequestConflict(
            "Cette personne n'est plus dans le dossier : la demande n'a pas été appliquée."
        )
    changed = [
        name
        for name, change in changes.items()
        if family_sections.current_json(target, name) != change["old"]
    ]
    if changed:
        raise RequestConflict(_conflict_message(section, changed))
    if change_request.operation == Operation.DELETE:
        target.delete()
        change_request.pickup_person = None  # the row is gone; its values stay in the diff
        return None
    if (
        section.scope == Scope.FAMILY
        and family_sections.SEPA_MANDATE_FIELDS & set(changes)
        and target.has_active_sepa_mandate
    ):
        _end_mandate(change_request, target, confirmed=end_mandate)
    for name, change in changes.items():
        family_sections.assign(target, name, change["new"])
    if section.key == "family_caf" and "quotient_familial" in changes:
        target.qf_valid_from = qf_valid_from or timezone.localdate()
        target.qf_valid_to = qf_valid_to
        if target.quotient_familial is None:
            target.qf_valid_from = target.qf_valid_to = None
    try:
        target.full_clean()
    except ValidationError as error:
        raise RequestConflict(
            "La modification n'est plus applicable : " + " ".join(error.messages)
        ) from error
    target.save()
    return target


def _after_decision(change_request, *, notify=True):
    """Side effects once the decision is committed: files no longer referenced, e-mail."""
    if change_request.state == RequestState.ACCEPTED:
        obsolete = change_request.file_names("old")
    else:
        obsolete = change_request.file_names("new")

    def delete_obsolete_files():
        for name in obsolete:
            storages["private"].delete(name)

    transaction.on_commit(delete_obsolete_files)
    if notify:
        notify_family(change_request)


def default_qf_validity(today=None):
    """A quotient familial is valid until the end of the calendar year (CAF recomputes it)."""
    today = today or timezone.localdate()
    return today, datetime.date(today.year, 12, 31)


def request_accept(
    *, actor, change_request, qf_valid_from=None, qf_valid_to=None, end_mandate=False
):
    """Accept and apply the request, atomically; a conflict is recorded, not applied.

    Returns the request with its new state (``ACCEPTED`` or ``CONFLICT``). Raises
    ``RequestAlreadyDecided`` when another decision came first, ``ValidationError``
    (nothing written) when it changes the bank details of an active SEPA mandate and
    ``end_mandate`` does not confirm that the mandate ends (it is then recorded on the
    request: ``ended_mandate_reference``, ``ended_mandate_signed_on``).
    """
    _require_decider(actor, change_request)
    if qf_valid_from and qf_valid_to and qf_valid_to < qf_valid_from:
        raise ValidationError({"qf_valid_to": "La fin de validité précède son début."})
    with transaction.atomic():
        locked = _lock_pending(change_request)
        try:
            with transaction.atomic():
                _apply(
                    locked,
                    qf_valid_from=qf_valid_from,
                    qf_valid_to=qf_valid_to,
                    end_mandate=end_mandate,
                )
        except RequestConflict as conflict:
            locked.decide(RequestState.CONFLICT, actor=actor, reason=str(conflict))
        else:
            locked.decide(RequestState.ACCEPTED, actor=actor)
        locked.save()
        _after_decision(locked)
    return locked


def request_refuse(*, actor, change_request, reason):
    """Refuse the request with a reason the family will read."""
    _require_decider(actor, change_request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Indiquez le motif du refus : il est communiqué à la famille."}
        )
    with transaction.atomic():
        locked = _lock_pending(change_request)
        locked.decide(RequestState.REFUSED, actor=actor, reason=reason)
        locked.save()
        _after_decision(locked)
    return locked


def request_cancel(*, actor, family, change_request):
    """The family withdraws one of its pending requests."""
    if change_request.family_id != family.pk:
        raise PermissionDenied("Cette demande n'est pas la vôtre.")
    with transaction.atomic():
        locked = _lock_pending(change_request)
        locked.decide(RequestState.CANCELLED, actor=actor)
        locked.family_seen_at = locked.decided_at
        locked.save()
        _after_decision(locked, notify=False)
    return locked


def requests_mark_seen(*, actor, family):
    """The family has seen the decisions shown in its list of requests."""
    return (
        ChangeRequest.objects.filter(family=family, family_seen_at__isnull=True)
        .exclude(state=RequestState.PENDING)
        .update(family_seen_at=timezone.now())
    )


# --- Telling the family --------------------------------------------------------------------

TOLD_STATES = {RequestState.ACCEPTED, RequestState.REFUSED, RequestState.CONFLICT}


def notify_family(change_request):
    """E-mail the family the decision (never the values: they may be health data)."""
    if change_request.state not in TOLD_STATES:
        return
    notify(
        to=family_addresses(change_request.family),
        kind=NotificationTopic.REQUESTS,
        template="demandes/emails/request_decided",
        context={
            "change_request": change_request,
            "accepted": change_request.state == RequestState.ACCEPTED,
            "refused": change_request.state == RequestState.REFUSED,
            "link": absolute_url("espace_prive:demandes:detail", change_request.public_id),
        },
    )
