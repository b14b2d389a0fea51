"""Requests of every state: a new mobile number (a guardian) for one family in four, a
new allergy (a child) for one in ten; pending, accepted, refused, in conflict or
cancelled, the decided ones decided by the demo staff."""

import datetime

from django.contrib.auth import get_user_model

from espace_prive.accounts.demo import STAFF_EMAIL
from espace_prive.demandes.models import ChangeRequest, RequestState
from espace_prive.families.models import Guardian
from espace_prive.families.sections import Operation

from . import REFERENCE_FAMILY, bulk, timed

STATES = [
    (RequestState.PENDING, 0.40),
    (RequestState.ACCEPTED, 0.30),
    (RequestState.REFUSED, 0.15),
    (RequestState.CONFLICT, 0.05),
    (RequestState.CANCELLED, 0.10),
]
REASONS = {
    RequestState.REFUSED: "Merci de joindre un justificatif.",
    RequestState.CONFLICT: "Le dossier a changé entre-temps : refaites la demande.",
}


def _state(rng):
    draw, total = rng.random(), 0
    for state, share in STATES:
        total += share
        if draw < total:
            return state
    return STATES[-1][0]


def _change(field, old, new):
    return {field: {"old": old, "new": new, "old_display": old or "—", "new_display": new}}


def generate(town):
    staff = get_user_model().objects.get(email=STAFF_EMAIL)
    users = town.objects["user_by_family"]
    primaries = {
        g.family_id: g for g in town.objects["guardians"] if g.role == Guardian.Role.PRIMARY
    }
    first_child = {}
    for child in town.objects["children"]:
        first_child.setdefault(child.family_id, child)
    with timed(town, "demandes: requests of every state"):
        rows = []
        for family in town.objects["families"]:
            rng = town.rng("demandes", family.reference)
            wanted = []
            if rng.random() < 0.25 or family.reference == REFERENCE_FAMILY:
                guardian = primaries[family.pk]
                new = f"07 {rng.randrange(10, 100)} {rng.randrange(10, 100)} 00 00"
                wanted.append(
                    (
                        "guardian_phones",
                        {"guardian": guardian},
                        f"responsable:{guardian.pk}",
                        _change("mobile_phone", guardian.mobile_phone, new),
                    )
                )
            if rng.random() < 0.10 and family.pk in first_child:
                child = first_child[family.pk]
                wanted.append(
                    (
                        "health_allergies",
                        {"child": child},
                        f"enfant:{child.pk}",
                        _change("allergies", "", "Arachide : urticaire."),
                    )
                )
            for section, target, key, changes in wanted:
                state = _state(rng)
                created = town.recent(rng, days=45)
                decided = state != RequestState.PENDING
                decided_at = created + datetime.timedelta(hours=rng.randrange(2, 72))
                rows.append(
                    ChangeRequest(
                        public_id=town.uuid(rng),
                        family=family,
                        section=section,
                        operation=Operation.UPDATE,
                        target_key=key,
                        changes=changes,
                        state=state,
                        created_by=users.get(family.pk),
                        created_at=created,
                        decided_by=staff if decided and state != RequestState.CANCELLED else None,
                        decided_at=decided_at if decided else None,
                        reason=REASONS.get(state, ""),
                        family_seen_at=decided_at if decided and rng.random() < 0.5 else None,
                        **target,
                    )
                )
        bulk(ChangeRequest, rows)
