import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from espace_prive.catalogue.selectors import school_year_bounds
from espace_prive.decisions import Decidable
from espace_prive.families.models import private_storage


class ExpiryRule(models.TextChoices):
    NONE = "aucune", "Sans date d'expiration"
    SCHOOL_YEAR_END = "fin_annee_scolaire", "Jusqu'à la fin de l'année scolaire (31 août)"
    CALENDAR_YEAR_END = "fin_annee_civile", "Jusqu'à la fin de l'année civile (31 décembre)"
    MONTHS = "mois", "Pendant un nombre de mois"


class DocumentType(models.Model):
    """A kind of supporting document the town asks for (a list the town keeps)."""

    Expiry = ExpiryRule

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(
        "code",
        max_length=50,
        unique=True,
        help_text="Identifiant stable, utilisé par l'API et les pièces à fournir.",
    )
    name = models.CharField("nom", max_length=150, unique=True)
    help_text = models.CharField(
        "aide pour les familles",
        max_length=255,
        blank=True,
        help_text="Par exemple « Attestation de moins de 3 mois ».",
    )
    expiry_rule = models.CharField(
        "validité", max_length=30, choices=ExpiryRule.choices, default=ExpiryRule.NONE
    )
    validity_months = models.PositiveSmallIntegerField(
        "durée de validité (mois)",
        null=True,
        blank=True,
        help_text="Seulement pour une validité en nombre de mois.",
    )
    per_child = models.BooleanField(
        "concerne un enfant",
        default=False,
        help_text="Le document se rapporte à un enfant (carnet de vaccination…).",
    )
    is_health = models.BooleanField(
        "donnée de santé",
        default=False,
        help_text="Lisible seulement par les agents habilités aux données sanitaires.",
    )
    is_active = models.BooleanField("proposé aux familles", default=True)
    sort_order = models.PositiveSmallIntegerField("ordre d'affichage", default=0)

    class Meta:
        verbose_name = "type de document"
        verbose_name_plural = "types de documents"
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expiry_rule__in=ExpiryRule.values),
                name="documents_type_expiry_rule_valid",
                violation_error_message="Règle d'échéance inconnue.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(expiry_rule=ExpiryRule.MONTHS) & models.Q(validity_months__gt=0)
                )
                | (~models.Q(expiry_rule=ExpiryRule.MONTHS) & models.Q(validity_months=None)),
                name="documents_type_validity_months_consistent",
                violation_error_message=(
                    "Indiquez une durée en mois pour une validité en nombre de mois, et "
                    "seulement dans ce cas."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def default_expiry(self, day):
        """When a document of this type sent on ``day`` stops being valid (None: never)."""
        if self.expiry_rule == ExpiryRule.SCHOOL_YEAR_END:
            return school_year_bounds(day)[1]
        if self.expiry_rule == ExpiryRule.CALENDAR_YEAR_END:
            return datetime.date(day.year, 12, 31)
        if self.expiry_rule == ExpiryRule.MONTHS and self.validity_months:
            return add_months(day, self.validity_months)
        return None


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class ReviewState(models.TextChoices):
    PENDING = "en_attente", "En attente de vérification"
    ACCEPTED = "accepte", "Accepté"
    REFUSED = "refuse", "Refusé"


class Document(Decidable, models.Model):
    """A supporting document a family sent, in the private storage, reviewed by staff.

    A document is replaced by a new one that ``supersedes`` it (the old one stays, as
    history); the family's current documents are those nothing supersedes.
    """

    State = ReviewState
    decided_by_field = "reviewed_by"  # decide() stamps who reviewed it and when
    decided_at_field = "reviewed_at"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name="famille",
    )
    child = models.ForeignKey(
        "families.Child",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="enfant",
    )
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="documents", verbose_name="type"
    )
    file = models.FileField("fichier", storage=private_storage, max_length=255, editable=False)
    original_name = models.CharField("nom du fichier envoyé", max_length=255, blank=True)
    size = models.PositiveIntegerField("taille (octets)", default=0)
    expires_on = models.DateField("valable jusqu'au", null=True, blank=True)
    state = models.CharField(
        "état", max_length=20, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reason = models.TextField("motif du refus", blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="envoyé par",
    )
    uploaded_at = models.DateTimeField("envoyé le", default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vérifié par",
    )
    reviewed_at = models.DateTimeField("vérifié le", null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name="remplace",
    )

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ["-uploaded_at", "-id"]
        permissions = [
            ("review_document", "Peut accepter ou refuser les documents des familles"),
        ]
        indexes = [
            models.Index(fields=["state", "uploaded_at"], name="documents_state_uploaded_idx"),
            models.Index(fields=["family", "-uploaded_at"], name="documents_family_idx"),
            models.Index(fields=["expires_on"], name="documents_expires_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ReviewState.values),
                name="documents_document_state_valid",
                violation_error_message="État de document inconnu.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(state=ReviewState.PENDING)
                    & models.Q(reviewed_at=None)
                    & models.Q(reviewed_by=None)
                )
                | (~models.Q(state=ReviewState.PENDING) & ~models.Q(reviewed_at=None)),
                name="documents_document_review_consistent",
                violation_error_message=(
                    "Un document vérifié porte la date de sa vérification ; un document en "
                    "attente n'en a pas."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ReviewState.REFUSED) | ~models.Q(reason=""),
                name="documents_document_refusal_has_reason",
                violation_error_message="Un refus est toujours expliqué à la famille.",
            ),
            models.CheckConstraint(
                condition=~models.Q(file=""),
                name="documents_document_has_file",
                violation_error_message="Un document a toujours un fichier.",
            ),
            models.CheckConstraint(
                condition=~models.Q(supersedes=models.F("pk")),
                name="documents_document_not_superseding_itself",
                violation_error_message="Un document ne peut pas se remplacer lui-même.",
            ),
        ]

    def __str__(self):
        return f"{self.document_type} — {self.family}"

    @property
    def is_pending(self):
        return self.state == ReviewState.PENDING

    @property
    def is_accepted(self):
        return self.state == ReviewState.ACCEPTED

    def is_expired_on(self, day):
        return self.expires_on is not None and self.expires_on < day

    def is_expiring_on(self, day, *, within_days=None):
        """Still valid on ``day`` but not for long (``DOCUMENTS_EXPIRING_DAYS`` days)."""
        if self.expires_on is None or self.expires_on < day:
            return False
        within = settings.DOCUMENTS_EXPIRING_DAYS if within_days is None else within_days
        return self.expires_on <= day + datetime.timedelta(days=within)

    def download_words(self):
        """What the file is downloaded as (``espace_prive.downloads``):
        ``carnet-de-vaccination-lea-martin.pdf``, never the name the family gave it."""
        return (self.document_type.name, self.child.full_name if self.child_id else "")


class RequiredDocument(models.Model):
    """A document a service requires for a school year (checked at enrolment).

    The school year is named by its first day (1 September), a plain date until the
    bookings app's school years exist and this becomes a link to them.
    """

    service = models.ForeignKey(
        "catalogue.Service",
        on_delete=models.CASCADE,
        related_name="required_documents",
        verbose_name="service",
    )
    document_type = models.ForeignKey(
        DocumentType,
        on_delete=models.PROTECT,
        related_name="required_by",
        verbose_name="type de document",
    )
    school_year_start = models.DateField(
        "année scolaire (1er septembre)",
        help_text="Premier jour de l'année scolaire, par exemple 01/09/2026 pour 2026-2027.",
    )
    notes = models.CharField("précisions pour les familles", max_length=255, blank=True)

    class Meta:
        verbose_name = "pièce à fournir"
        verbose_name_plural = "pièces à fournir"
        ordering = ["service__sort_order", "service__name", "-school_year_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "document_type", "school_year_start"],
                name="documents_required_once_per_year",
                violation_error_message=(
                    "Ce document est déjà demandé pour ce service et cette année scolaire."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.document_type} — {self.service} ({self.school_year_label})"

    @property
    def school_year_label(self):
        return f"{self.school_year_start.year}-{self.school_year_start.year + 1}"

    def clean(self):
        if self.school_year_start and (
            self.school_year_start.month,
            self.school_year_start.day,
        ) != (
            9,
            1,
        ):
            raise ValidationError(
                {"school_year_start": "Une année scolaire commence le 1er septembre."}
            )
