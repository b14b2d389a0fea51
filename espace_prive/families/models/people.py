"""The people of a family: guardians (responsables) and children."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from espace_prive.catalogue.models import SCHOOL_KINDS
from espace_prive.constraints import FieldConstraintsMixin

from ..validators import (
    validate_birth_date,
)
from .base import GuardianRole, private_storage
from .family import Family


class Guardian(FieldConstraintsMixin, models.Model):
    """A responsable légal of a family; each may have their own login."""

    Role = GuardianRole

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
    birth_date = models.DateField(
        "date de naissance", null=True, blank=True, validators=[validate_birth_date]
    )
    profession = models.CharField("profession", max_length=150, blank=True)
    employer_name = models.CharField("employeur", max_length=150, blank=True)
    employer_address = models.CharField("adresse de l'employeur", max_length=255, blank=True)
    employer_phone = models.CharField("téléphone de l'employeur", max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardian",
        verbose_name="compte de connexion",
    )

    constraint_fields = {
        "families_guardian_birth_date_plausible": "birth_date",
        "families_guardian_email_once_per_family": "email",
    }

    class Meta:
        verbose_name = "responsable légal"
        verbose_name_plural = "responsables légaux"
        ordering = ["family", "role"]
        constraints = [
            # One responsable 1 and at most one conjoint per family.
            models.UniqueConstraint(
                fields=["family", "role"],
                name="families_guardian_role_once",
                violation_error_message="Cette famille a déjà un responsable dans ce rôle.",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["responsable", "conjoint"]),
                name="families_guardian_role_valid",
                violation_error_message="Choisissez responsable ou conjoint.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "family",
                condition=~models.Q(email=""),
                name="families_guardian_email_once_per_family",
                violation_error_message=(
                    "Un autre responsable de cette famille utilise déjà cette adresse e-mail."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(birth_date__isnull=True)
                | models.Q(birth_date__gte=datetime.date(1900, 1, 1)),
                name="families_guardian_birth_date_plausible",
                violation_error_message="Cette date de naissance n'est pas plausible.",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def formal_name(self):
        """The name with its French civility abbreviation, as on letters: « Mme Anne Roux »."""
        prefix = {self.Civility.MADAME: "Mme", self.Civility.MONSIEUR: "M."}.get(self.civility)
        return f"{prefix} {self.full_name}" if prefix else self.full_name


class Child(FieldConstraintsMixin, models.Model):
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
    birth_date = models.DateField("date de naissance", validators=[validate_birth_date])
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
    photo = models.FileField(
        "photo", storage=private_storage, max_length=255, blank=True, editable=False
    )

    # Authorisations: null until the family has answered.
    photo_rights = models.BooleanField(
        "droit à l'image",
        null=True,
        blank=True,
        help_text="L'enfant peut être photographié ou filmé pendant les activités.",
    )
    may_leave_alone = models.BooleanField(
        "autorisé à partir seul",
        null=True,
        blank=True,
        help_text="L'enfant peut quitter l'accueil sans adulte à la fin des activités.",
    )
    emergency_care = models.BooleanField(
        "soins d'urgence",
        null=True,
        blank=True,
        help_text=(
            "Les responsables de l'accueil peuvent faire soigner l'enfant ou le faire "
            "transporter à l'hôpital en cas d'urgence."
        ),
    )
    transport = models.BooleanField(
        "transport",
        null=True,
        blank=True,
        help_text="L'enfant peut être transporté en car ou minibus pour les sorties.",
    )

    # Complementary data
    insurance_company = models.CharField(
        "assurance responsabilité civile", max_length=150, blank=True
    )
    insurance_number = models.CharField("numéro de contrat", max_length=50, blank=True)
    can_swim = models.BooleanField("sait nager", null=True, blank=True)
    other_information = models.TextField(
        "autres informations utiles",
        blank=True,
        help_text="Habitudes, langue parlée à la maison, objets à ne pas oublier…",
    )

    constraint_fields = {
        "families_child_birth_date_plausible": "birth_date",
        "families_child_once_per_family": "first_name",
    }

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
                violation_error_message=(
                    "Cette date de naissance n'est pas plausible pour un enfant des services."
                ),
            ),
            models.UniqueConstraint(
                "family",
                Lower("first_name"),
                "birth_date",
                name="families_child_once_per_family",
                violation_error_message=(
                    "Cet enfant (même prénom, même date de naissance) figure déjà au dossier."
                ),
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

    @property
    def authorisations_missing(self):
        return any(
            value is None
            for value in (
                self.photo_rights,
                self.may_leave_alone,
                self.emergency_care,
                self.transport,
            )
        )
