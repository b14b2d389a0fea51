import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from espace_prive.catalogue.models import SCHOOL_KINDS
from espace_prive.constraints import FieldConstraintsMixin

from .validators import (
    format_iban,
    validate_bic,
    validate_birth_date,
    validate_iban,
    validate_iban_matches_bic,
    validate_not_in_future,
    validate_tax_number,
)


def private_storage():
    """Families' files live in the private storage: no URL, served by checking views."""
    return storages["private"]


class YesNo(models.TextChoices):
    """Labels of a yes/no question whose answer may still be missing (null)."""

    YES = "oui", "Oui"
    NO = "non", "Non"


class AllowanceBody(models.TextChoices):
    CAF = "caf", "CAF"
    MSA = "msa", "MSA"
    OTHER = "autre", "Autre régime"
    NONE = "", "Aucun / non renseigné"


class Family(FieldConstraintsMixin, models.Model):
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
        error_messages={"unique": "Une famille porte déjà cette référence."},
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

    # Fiscal data (avis d'imposition)
    tax_number = models.CharField(
        "numéro fiscal",
        max_length=13,
        blank=True,
        validators=[validate_tax_number],
        help_text="13 chiffres, en haut de votre avis d'impôt.",
    )
    tax_year = models.PositiveSmallIntegerField(
        "année des revenus", null=True, blank=True, help_text="Par exemple 2025."
    )
    reference_tax_income = models.DecimalField(
        "revenu fiscal de référence (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    tax_shares = models.DecimalField(
        "nombre de parts", max_digits=4, decimal_places=2, null=True, blank=True
    )

    # CAF / MSA and quotient familial
    allowance_body = models.CharField(
        "organisme d'allocations familiales",
        max_length=10,
        choices=AllowanceBody.choices,
        blank=True,
    )
    allowance_number = models.CharField("numéro d'allocataire", max_length=20, blank=True)
    quotient_familial = models.DecimalField(
        "quotient familial (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    qf_valid_from = models.DateField("quotient familial valable du", null=True, blank=True)
    qf_valid_to = models.DateField("quotient familial valable jusqu'au", null=True, blank=True)
    qf_proof = models.FileField(
        "justificatif du quotient familial",
        storage=private_storage,
        max_length=255,
        blank=True,
        editable=False,
        help_text="Attestation CAF ou MSA : PDF, JPEG ou PNG, 5 Mo au plus.",
    )

    # Bank details for direct debit
    account_holder = models.CharField("titulaire du compte", max_length=150, blank=True)
    iban = models.CharField(
        "IBAN",
        max_length=34,
        blank=True,
        validators=[validate_iban],
        help_text="Sur votre RIB, par exemple FR76 3000 6000 0112 3456 7890 189.",
    )
    bic = models.CharField(
        "BIC", max_length=11, blank=True, validators=[validate_bic], help_text="8 ou 11 caractères."
    )
    sepa_mandate_reference = models.CharField(
        "référence unique du mandat SEPA", max_length=35, blank=True
    )
    sepa_mandate_signed_on = models.DateField(
        "date de signature du mandat SEPA",
        null=True,
        blank=True,
        validators=[validate_not_in_future],
    )

    # Life of the file
    left_on = models.DateField(
        "a quitté la commune le",
        null=True,
        blank=True,
        help_text="Une famille partie peut ensuite être anonymisée.",
    )
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True, editable=False)

    constraint_fields = {
        "families_family_reference_not_empty": "reference",
        "families_family_reference_unique_ci": "reference",
        "families_family_qf_not_negative": "quotient_familial",
        "families_family_qf_validity_needs_value": "quotient_familial",
        "families_family_qf_validity_ordered": "qf_valid_to",
        "families_family_tax_income_not_negative": "reference_tax_income",
        "families_family_tax_shares_positive": "tax_shares",
        "families_family_iban_shape": "iban",
        "families_family_bic_shape": "bic",
        "families_family_anonymised_only_after_leaving": "left_on",
    }

    class Meta:
        verbose_name = "famille"
        verbose_name_plural = "familles"
        ordering = ["reference"]
        permissions = [("anonymise_family", "Peut anonymiser une famille partie")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reference=""),
                name="families_family_reference_not_empty",
                violation_error_message="La référence du dossier est obligatoire.",
            ),
            # The import matches references whatever their case.
            models.UniqueConstraint(
                Lower("reference"),
                name="families_family_reference_unique_ci",
                violation_error_message="Une famille porte déjà cette référence.",
            ),
            models.CheckConstraint(
                condition=models.Q(allowance_body__in=AllowanceBody.values),
                name="families_family_allowance_body_valid",
                violation_error_message="Choisissez la CAF, la MSA ou aucun organisme.",
            ),
            models.CheckConstraint(
                condition=models.Q(quotient_familial__isnull=True)
                | models.Q(quotient_familial__gte=0),
                name="families_family_qf_not_negative",
                violation_error_message="Le quotient familial ne peut pas être négatif.",
            ),
            # A validity only makes sense for a known quotient, and runs forward.
            models.CheckConstraint(
                condition=models.Q(qf_valid_from__isnull=True)
                | models.Q(quotient_familial__isnull=False),
                name="families_family_qf_validity_needs_value",
                violation_error_message=(
                    "Une validité du quotient familial demande un quotient familial au dossier."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(qf_valid_from__isnull=True)
                | models.Q(qf_valid_to__isnull=True)
                | models.Q(qf_valid_to__gte=models.F("qf_valid_from")),
                name="families_family_qf_validity_ordered",
                violation_error_message=(
                    "La fin de validité du quotient familial doit suivre son début."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(reference_tax_income__isnull=True)
                | models.Q(reference_tax_income__gte=0),
                name="families_family_tax_income_not_negative",
                violation_error_message="Le revenu fiscal de référence ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=models.Q(tax_shares__isnull=True) | models.Q(tax_shares__gt=0),
                name="families_family_tax_shares_positive",
                violation_error_message="Le nombre de parts fiscales doit être supérieur à zéro.",
            ),
            models.CheckConstraint(
                condition=models.Q(iban="")
                | models.Q(iban__regex=r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$"),
                name="families_family_iban_shape",
                violation_error_message=(
                    "L'IBAN n'a pas la forme d'un IBAN (2 lettres, 2 chiffres, puis 11 à 30 "
                    "lettres ou chiffres)."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(bic="") | models.Q(bic__regex=r"^[A-Z0-9]{8}([A-Z0-9]{3})?$"),
                name="families_family_bic_shape",
                violation_error_message="Le BIC compte 8 ou 11 lettres ou chiffres.",
            ),
            # A SEPA mandate has both a reference and a signature date, and an account.
            models.CheckConstraint(
                condition=(
                    models.Q(sepa_mandate_reference="")
                    & models.Q(sepa_mandate_signed_on__isnull=True)
                )
                | (
                    ~models.Q(sepa_mandate_reference="")
                    & models.Q(sepa_mandate_signed_on__isnull=False)
                    & ~models.Q(iban="")
                ),
                name="families_family_sepa_mandate_complete",
                violation_error_message=(
                    "Un mandat SEPA demande sa référence, sa date de signature et un IBAN au "
                    "dossier."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(anonymised_at__isnull=True) | models.Q(left_on__isnull=False),
                name="families_family_anonymised_only_after_leaving",
                violation_error_message="Une famille n'est anonymisée qu'après son départ.",
            ),
        ]

    def __str__(self):
        return self.reference

    def clean_fields(self, exclude=None):
        """The field validators, then the IBAN and the BIC checked together when both are
        validated (a form or request of the bank details, the staff form)."""
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        checked = {"iban", "bic"} - set(exclude or ()) - set(errors)
        if checked == {"iban", "bic"}:
            try:
                validate_iban_matches_bic(self.iban, self.bic)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @property
    def has_active_sepa_mandate(self):
        """A signed SEPA mandate is on file: the bank details are those it debits."""
        return bool(self.sepa_mandate_reference and self.sepa_mandate_signed_on)

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    @property
    def iban_display(self):
        return format_iban(self.iban)

    def qf_is_valid_on(self, day):
        """Whether staff validated a quotient familial covering ``day``."""
        return (
            self.quotient_familial is not None
            and self.qf_valid_from is not None
            and self.qf_valid_from <= day
            and (self.qf_valid_to is None or day <= self.qf_valid_to)
        )

    @property
    def primary_guardian(self):
        """Responsable 1, from prefetched guardians when available."""
        for guardian in self.guardians.all():
            if guardian.role == Guardian.Role.PRIMARY:
                return guardian
        return None


class Guardian(FieldConstraintsMixin, models.Model):
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
    allergies = models.TextField(
        "allergies",
        blank=True,
        help_text="Alimentaires, médicamenteuses ou autres ; laissez vide s'il n'y en a pas.",
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
        return bool(self.has_pai or self.allergies.strip())


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
