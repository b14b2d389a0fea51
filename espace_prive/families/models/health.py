"""Health data of a child, people allowed to pick them up, staff access log."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from espace_prive import allergens as allergen_codes
from espace_prive.allergens import Allergen
from espace_prive.choice_list import ChoiceListField
from espace_prive.constraints import FieldConstraintsMixin

from ..validators import (
    validate_not_in_future,
)
from .base import private_storage
from .people import Child


class Diet(models.TextChoices):
    NONE = "", "Pas de régime particulier"
    NO_PORK = "sans_porc", "Sans porc"
    NO_MEAT = "sans_viande", "Sans viande"
    VEGETARIAN = "vegetarien", "Végétarien"
    GLUTEN_FREE = "sans_gluten", "Sans gluten"
    OTHER = "autre", "Autre (préciser)"


class HealthRecord(FieldConstraintsMixin, models.Model):
    """Données sanitaires of a child: seen by the family and by staff holding
    ``families.view_health_record`` only; every staff view is logged."""

    Diet = Diet

    child = models.OneToOneField(
        Child, on_delete=models.CASCADE, related_name="health_record", verbose_name="enfant"
    )
    food_allergens = ChoiceListField(
        "allergènes alimentaires",
        choices_class=Allergen,
        help_text="Cochez chacun des 14 allergènes réglementaires auxquels l'enfant est "
        "allergique : ils sont signalés sur les menus de la cantine et comptés par la cuisine.",
    )
    allergies = models.TextField(
        "allergies",
        blank=True,
        help_text="Précisions (réactions, traces tolérées…) et autres allergies, "
        "médicamenteuses ou non ; laissez vide s'il n'y en a pas.",
    )
    diet = models.CharField("régime alimentaire", max_length=20, choices=Diet.choices, blank=True)
    diet_details = models.CharField("précisions sur le régime", max_length=255, blank=True)
    has_pai = models.BooleanField(
        "PAI (projet d'accueil individualisé)",
        default=False,
        help_text="Un PAI a été établi avec le médecin scolaire.",
    )
    pai_details = models.TextField("objet du PAI et conduite à tenir", blank=True)
    pai_document = models.FileField(
        "document du PAI",
        storage=private_storage,
        max_length=255,
        blank=True,
        editable=False,
    )
    vaccinations_up_to_date = models.BooleanField(
        "vaccinations obligatoires à jour", null=True, blank=True
    )
    last_dtp_booster = models.DateField(
        "dernier rappel DT-Polio", null=True, blank=True, validators=[validate_not_in_future]
    )
    doctor_name = models.CharField("médecin traitant", max_length=150, blank=True)
    doctor_phone = models.CharField("téléphone du médecin", max_length=30, blank=True)
    medical_notes = models.TextField(
        "recommandations médicales",
        blank=True,
        help_text="Traitement en cours, lunettes, appareil auditif, recommandations utiles…",
    )

    constraint_fields = {
        "families_health_pai_document_needs_pai": "pai_document",
        "families_health_dtp_booster_plausible": "last_dtp_booster",
    }

    class Meta:
        verbose_name = "données sanitaires"
        verbose_name_plural = "données sanitaires"
        # Families change health data through requests; staff only read it.
        default_permissions = ()
        permissions = [
            ("view_health_record", "Peut consulter les données sanitaires des enfants"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(diet__in=Diet.values),
                name="families_health_diet_valid",
                violation_error_message="Choisissez un régime alimentaire de la liste.",
            ),
            # A PAI document without a PAI would be a health document nobody expects.
            models.CheckConstraint(
                condition=models.Q(has_pai=True) | models.Q(pai_document=""),
                name="families_health_pai_document_needs_pai",
                violation_error_message="Un document de PAI n'est joint que si l'enfant a un PAI.",
            ),
            models.CheckConstraint(
                condition=models.Q(last_dtp_booster__isnull=True)
                | models.Q(last_dtp_booster__gte=datetime.date(1990, 1, 1)),
                name="families_health_dtp_booster_plausible",
                violation_error_message="Cette date de rappel DTP n'est pas plausible.",
            ),
        ]

    def __str__(self):
        return f"Données sanitaires de {self.child}"

    @property
    def has_alert(self):
        """Something the staff on site must know (shown as an alert)."""
        return bool(self.has_pai or self.allergies.strip() or self.food_allergens)

    @property
    def allergen_codes(self):
        """The declared allergens' codes, in the regulation's order."""
        return allergen_codes.ordered(self.food_allergens)

    @property
    def allergen_labels(self):
        return allergen_codes.labels(self.food_allergens)


class PickupPerson(FieldConstraintsMixin, models.Model):
    """A person the family authorises to collect the child."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="pickup_persons", verbose_name="enfant"
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    relationship = models.CharField(
        "lien avec l'enfant", max_length=100, blank=True, help_text="Grand-mère, voisin…"
    )
    phone = models.CharField("téléphone", max_length=30)

    constraint_fields = {
        "families_pickup_person_phone_required": "phone",
        "families_pickup_person_once_per_child": "last_name",
    }

    class Meta:
        verbose_name = "personne autorisée à récupérer l'enfant"
        verbose_name_plural = "personnes autorisées à récupérer l'enfant"
        ordering = ["child", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                "child",
                Lower("first_name"),
                Lower("last_name"),
                name="families_pickup_person_once_per_child",
                violation_error_message="Cette personne est déjà autorisée pour cet enfant.",
            ),
            models.CheckConstraint(
                condition=~models.Q(phone=""),
                name="families_pickup_person_phone_required",
                violation_error_message="Le téléphone de la personne autorisée est obligatoire.",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class HealthAccessContext(models.TextChoices):
    FILE = "fiche", "Fiche sanitaire"
    REQUEST = "demande", "Demande de modification"
    PDF = "pdf", "Fiche enfant complète (PDF)"
    DOCUMENT = "document", "Document du PAI"
    DAY_LIST = "liste_du_jour", "Liste du jour et pointage"


class HealthAccessLog(models.Model):
    """Who on the staff looked at a child's health data, and when — never what they saw."""

    Context = HealthAccessContext

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="health_accesses", verbose_name="enfant"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="health_accesses",
        verbose_name="agent",
    )
    user_label = models.CharField("agent (au moment de l'accès)", max_length=255)
    accessed_at = models.DateTimeField("consulté le", default=timezone.now)
    context = models.CharField("depuis", max_length=20, choices=HealthAccessContext.choices)

    class Meta:
        verbose_name = "accès aux données sanitaires"
        verbose_name_plural = "accès aux données sanitaires"
        ordering = ["-accessed_at", "-id"]
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["child", "-accessed_at"], name="families_health_access_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(context__in=HealthAccessContext.values),
                name="families_health_access_context_valid",
                violation_error_message="Contexte d'accès aux données de santé inconnu.",
            ),
        ]

    def __str__(self):
        return f"{self.user_label} — {self.child} — {self.accessed_at:%d/%m/%Y %H:%M}"
