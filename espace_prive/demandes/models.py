import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from espace_prive.decisions import Decidable
from espace_prive.families.files import file_words
from espace_prive.families.sections import (
    SECTION_CHOICES,
    SEPA_MANDATE_FIELDS,
    Operation,
    Scope,
    get_section,
)


class RequestState(models.TextChoices):
    PENDING = "en_attente", "En attente de validation"
    ACCEPTED = "acceptee", "Acceptée"
    REFUSED = "refusee", "Refusée"
    CONFLICT = "conflit", "Non appliquée (conflit)"
    CANCELLED = "annulee", "Annulée"


class ChangeRequest(Decidable, models.Model):
    """A change of the family file proposed by the family, as a field-level diff.

    ``changes`` maps each changed field of the section to
    ``{"old": …, "new": …, "old_display": "…", "new_display": "…"}``: ``old`` is the
    value when the family asked (a later difference is a conflict), values in their JSON
    form (see ``families.sections``), displays in French as they were then.
    """

    State = RequestState
    Operation = Operation

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name="famille",
    )
    section = models.CharField("type", max_length=40, choices=SECTION_CHOICES)
    operation = models.CharField(
        "opération", max_length=20, choices=Operation.choices, default=Operation.UPDATE
    )
    # What the request is about (explicit links, scoped to the family).
    guardian = models.ForeignKey(
        "families.Guardian",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name="responsable",
    )
    child = models.ForeignKey(
        "families.Child",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name="enfant",
    )
    pickup_person = models.ForeignKey(
        "families.PickupPerson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name="personne autorisée",
    )
    # "<scope>:<id>" of the changed row; empty for an addition. One pending request each.
    target_key = models.CharField(max_length=60, blank=True, editable=False)
    changes = models.JSONField("modifications", default=dict)
    state = models.CharField(
        "état", max_length=20, choices=RequestState.choices, default=RequestState.PENDING
    )
    auto_applied = models.BooleanField(
        "appliquée sans validation",
        default=False,
        help_text="Rubrique configurée pour s'appliquer sans validation du service.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="demandée par",
    )
    created_at = models.DateTimeField("reçue le", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traitée par",
    )
    decided_at = models.DateTimeField("traitée le", null=True, blank=True)
    reason = models.TextField("motif", blank=True)
    family_seen_at = models.DateTimeField("décision vue par la famille le", null=True, blank=True)
    # The SEPA mandate this request ended when it was accepted (staff confirmed it).
    ended_mandate_reference = models.CharField(
        "mandat SEPA clos (référence)", max_length=35, blank=True, editable=False
    )
    ended_mandate_signed_on = models.DateField(
        "mandat SEPA clos (signé le)", null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "demande"
        verbose_name_plural = "demandes"
        ordering = ["-created_at", "-id"]
        permissions = [
            ("decide_changerequest", "Peut accepter ou refuser les demandes des familles"),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="demandes_state_created_idx"),
            models.Index(fields=["family", "-created_at"], name="demandes_family_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=RequestState.values),
                name="demandes_changerequest_state_valid",
                violation_error_message="État de demande inconnu.",
            ),
            models.CheckConstraint(
                condition=models.Q(operation__in=Operation.values),
                name="demandes_changerequest_operation_valid",
                violation_error_message="Type de demande inconnu.",
            ),
            # Pending: not decided. Decided (in any way): when is known.
            models.CheckConstraint(
                condition=(
                    models.Q(state=RequestState.PENDING)
                    & models.Q(decided_at__isnull=True)
                    & models.Q(decided_by__isnull=True)
                )
                | (~models.Q(state=RequestState.PENDING) & models.Q(decided_at__isnull=False)),
                name="demandes_changerequest_decision_consistent",
                violation_error_message=(
                    "Une demande décidée indique qui l'a décidée et quand ; une demande en "
                    "attente, non."
                ),
            ),
            # A refusal or a conflict is always explained to the family.
            models.CheckConstraint(
                condition=~models.Q(state__in=[RequestState.REFUSED, RequestState.CONFLICT])
                | ~models.Q(reason=""),
                name="demandes_changerequest_refusal_has_reason",
                violation_error_message="Un refus doit être motivé.",
            ),
            models.CheckConstraint(
                condition=models.Q(operation=Operation.CREATE) | ~models.Q(target_key=""),
                name="demandes_changerequest_target_known",
                violation_error_message="La demande ne désigne pas ce qu'elle modifie.",
            ),
            # Only an accepted request ends a mandate, and it records which one.
            models.CheckConstraint(
                condition=(
                    models.Q(ended_mandate_reference="")
                    & models.Q(ended_mandate_signed_on__isnull=True)
                )
                | (
                    models.Q(state=RequestState.ACCEPTED)
                    & ~models.Q(ended_mandate_reference="")
                    & models.Q(ended_mandate_signed_on__isnull=False)
                ),
                name="demandes_changerequest_ended_mandate_recorded",
                violation_error_message=(
                    "Seule une demande acceptée clôt un mandat SEPA, dont elle garde la "
                    "référence et la date de signature."
                ),
            ),
            models.UniqueConstraint(
                fields=["section", "target_key"],
                condition=models.Q(state=RequestState.PENDING) & ~models.Q(target_key=""),
                name="demandes_changerequest_one_pending_per_target",
                violation_error_message="Une demande est déjà en attente pour cette rubrique.",
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.family}"

    @property
    def section_def(self):
        return get_section(self.section)

    @property
    def title(self):
        return self.section_def.title(self.operation)

    @property
    def is_pending(self):
        return self.state == RequestState.PENDING

    @property
    def is_health(self):
        return self.section_def.is_health

    @property
    def ends_sepa_mandate(self):
        """Accepting it would change or remove the bank details of the family's active
        SEPA mandate (the family row as it is now, from the select_related)."""
        return (
            self.section_def.scope == Scope.FAMILY
            and bool(SEPA_MANDATE_FIELDS & set(self.changes))
            and self.family.has_active_sepa_mandate
        )

    @property
    def subject(self):
        """Who or what the request is about, in words (uses the select_related rows)."""
        if self.section == "pickup_person":
            if self.pickup_person_id:
                name = self.pickup_person.full_name
            else:
                name = self._name_in_changes()
            return f"{name} (pour {self.child.first_name})" if self.child_id else name
        if self.operation == Operation.CREATE:
            return self._name_in_changes()
        if self.child_id:
            return self.child.full_name
        if self.guardian_id:
            return self.guardian.full_name
        return "Foyer"

    def _name_in_changes(self):
        def value(name):
            change = self.changes.get(name) or {}
            return change.get("new_display") or change.get("old_display") or ""

        return f"{value('first_name')} {value('last_name')}".strip()

    def file_names(self, which="new"):
        """Storage names of the files this request carries (``new``) or replaces (``old``)."""
        names = []
        for name in self.section_def.file_fields:
            change = self.changes.get(name)
            if change and change.get(which):
                names.append(change[which])
        return names

    def new_file(self, field):
        """The storage name of the file ``field`` this request sends, and the words its
        download is named with (those of the file it would become)."""
        name = (self.changes.get(field) or {}).get("new")
        child = self.child if self.child_id else None
        sent_on = timezone.localdate(self.created_at)
        return name, file_words(field, family=self.family, child=child, sent_on=sent_on)

    def rows(self):
        """The diff as a list of rows for templates."""
        section = self.section_def
        return [
            {
                "name": name,
                "label": section.field_label(name),
                "old": change.get("old_display", ""),
                "new": change.get("new_display", ""),
                "is_file": name in section.file_fields,
                "has_new_file": name in section.file_fields and bool(change.get("new")),
            }
            for name, change in self.changes.items()
        ]
