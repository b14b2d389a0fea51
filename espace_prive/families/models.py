import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from espace_prive.catalogue.models import SCHOOL_KINDS


class Family(models.Model):
    """A household (foyer): the unit that enrols children, books and is billed."""

    class Situation(models.TextChoices):
        MARRIED = "marie", "Marié(e)s"
        CIVIL_UNION = "pacse", "Pacsé(e)s"
        COHABITING = "concubinage", "En concubinage"
        SINGLE = "celibataire", "Célibataire"
        SEPARATED = "separe", "Séparé(e)s"
        DIVORCED = "divorce", "Divorcé(e)s"
        WIDOWED = "veuf", "Veuf / veuve"
        UNKNOWN = "", "Non renseignée"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        "référence",
        max_length=30,
        unique=True,
        help_text="Identifiant du dossier famille dans la commune (ex. FAM-00042).",
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    situation = models.CharField(
        "situation familiale", max_length=20, choices=Situation.choices, blank=True
    )
    paperless_invoices = models.BooleanField("factures dématérialisées", default=False)
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "famille"
        verbose_name_plural = "familles"
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reference=""), name="families_family_reference_not_empty"
            ),
        ]

    def __str__(self):
        return self.reference


class Guardian(models.Model):
    """A responsable légal of a family; each may have their own login."""

    class Role(models.TextChoices):
        PRIMARY = "responsable", "Responsable 1"
        PARTNER = "conjoint", "Conjoint / responsable 2"

    class Civility(models.TextChoices):
        MADAME = "mme", "Madame"
        MONSIEUR = "m", "Monsieur"
        UNSPECIFIED = "", "Non précisé"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="guardians")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    civility = models.CharField("civilité", max_length=5, choices=Civility.choices, blank=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    email = models.EmailField("e-mail", blank=True)
    mobile_phone = models.CharField("téléphone portable", max_length=30, blank=True)
    home_phone = models.CharField("téléphone domicile", max_length=30, blank=True)
    work_phone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name="compte de connexion",
    )

    class Meta:
        verbose_name = "responsable légal"
        verbose_name_plural = "responsables légaux"
        ordering = ["family", "role"]
        constraints = [
            # One responsable 1 and at most one conjoint per family.
            models.UniqueConstraint(fields=["family", "role"], name="families_guardian_role_once"),
            models.CheckConstraint(
                condition=models.Q(role__in=["responsable", "conjoint"]),
                name="families_guardian_role_valid",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "family",
                condition=~models.Q(email=""),
                name="families_guardian_email_once_per_family",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class Child(models.Model):
    class Sex(models.TextChoices):
        GIRL = "F", "Fille"
        BOY = "M", "Garçon"

    class ClassLevel(models.TextChoices):
        NONE = "", "Non scolarisé"
        TPS = "TPS", "Toute petite section"
        PS = "PS", "Petite section"
        MS = "MS", "Moyenne section"
        GS = "GS", "Grande section"
        CP = "CP", "CP"
        CE1 = "CE1", "CE1"
        CE2 = "CE2", "CE2"
        CM1 = "CM1", "CM1"
        CM2 = "CM2", "CM2"
        COLLEGE = "college", "Collège"
        LYCEE = "lycee", "Lycée"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    school = models.ForeignKey(
        "catalogue.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name="école",
        limit_choices_to={"kind__in": SCHOOL_KINDS},
    )
    class_level = models.CharField("classe", max_length=10, choices=ClassLevel.choices, blank=True)

    class Meta:
        verbose_name = "enfant"
        verbose_name_plural = "enfants"
        ordering = ["family", "birth_date", "first_name"]
        constraints = [
            # "Not in the future" depends on today, which a CHECK cannot express
            # portably (SQLite refuses it): services.child_validate_birth_date does.
            models.CheckConstraint(
                condition=models.Q(birth_date__gte=datetime.date(1990, 1, 1)),
                name="families_child_birth_date_plausible",
            ),
            models.UniqueConstraint(
                "family",
                Lower("first_name"),
                "birth_date",
                name="families_child_once_per_family",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, day):
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years
